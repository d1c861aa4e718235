/** Money and time as people read them. Money formatting is the functions' own (one format for API texts and pages). */
import { formatMoney } from '../../../functions/shared/money.js';
import type { CurrencyTotal } from './types.js';

export { formatMoney };

/** "$14.99 + €5.00": totals per currency, never added across currencies. */
export const formatTotals = (totals: readonly CurrencyTotal[]) =>
  totals.length === 0 ? '—' : totals.map((t) => formatMoney(t.amount, t.currency)).join(' + ');

/** The currency's decimals (2 for USD, 0 for JPY). */
export const currencyDigits = (currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
  2;

/** "699.00" typed by an agent → 69900 minor units; null when it is not an amount in that currency. */
export function parseMoney(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const trimmed = text.trim().replace(/,/g, '');
  const pattern = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`);
  if (!pattern.test(trimmed)) return null;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** 69900 USD → "699.00", for an amount field. */
export const minorToInput = (amount: number, currency: string) => {
  const digits = currencyDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
};

/** "Mar 15, 2026", in UTC as the API's texts say dates. */
export const formatDate = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });

export const formatDateTime = (iso: string) =>
  new Date(iso).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });

/** 3725 → "1h 2m 5s"; 45 → "45s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${rest}s`;
  return `${rest}s`;
}

/** The SLA's countdown at `now`: "4m 14s left", or "overdue by 1m 3s". */
export function slaText(deadline: string | null, now: number): string {
  if (!deadline) return '—';
  const left = (Date.parse(deadline) - now) / 1000;
  return left >= 0 ? `${formatDuration(left)} left` : `overdue by ${formatDuration(-left)}`;
}

export const humanize = (code: string | null | undefined) => (code ? code.replace(/_/g, ' ') : '—');

/** An agent as the API names them (an IAM ARN on AWS and locally, `…:user/agent-1`) → "agent-1". */
export const agentName = (principal: string | null | undefined) =>
  principal ? (principal.split('/').at(-1) ?? principal) : '—';
