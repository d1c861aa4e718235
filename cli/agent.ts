/**
 * The agent routes (`/v1/agent/cases...`, IAM) from a terminal: one client for the running local server
 * (a local agent token, `--as agent-1|agent-2`) and for AWS or LocalStack (SigV4), the checks a decision
 * must pass before any request, and the renderings of the queue and of a case's evidence pack.
 * Pure functions below the client: the clock is a parameter.
 */
import { formatMoney } from '../functions/shared/money.js';
import { CliError, UsageError } from './errors.js';
import type { LocalServerState } from './local.js';
import { type ApiAnswer, type CallerApi, type SigningCredentials, signedInit } from './signed.js';

export type { ApiAnswer } from './signed.js';
/** The agent routes; a non-2xx answer throws an `ApiRefusal`. */
export type AgentApi = CallerApi;

/** A 4xx/5xx from the API: its code and message, exit 1. */
export class ApiRefusal extends CliError {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly apiMessage: string,
    what: string,
  ) {
    super(`${what} refused (${status}${code ? ` ${code}` : ''}): ${apiMessage}`);
  }
}

export const LOCAL_AGENTS = ['agent-1', 'agent-2'] as const;
export type LocalAgent = (typeof LOCAL_AGENTS)[number];

function urlOf(apiUrl: string, path: string): URL {
  return new URL(path, apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
}

/** What a request is, for a refusal: `Resolution`, `Claim`... */
function labelOf(method: string, path: string): string {
  const last = path.split('?')[0]?.split('/').at(-1) ?? '';
  if (method === 'POST')
    return (
      { claim: 'Claim', resolution: 'Resolution', approvals: 'Approval', inspection: 'Inspection' }[last] ??
      'Request'
    );
  if (path.startsWith('agent/returns')) return 'Returns listing';
  return path.startsWith('agent/cases?') || path === 'agent/cases' ? 'Queue listing' : 'Case lookup';
}

/** One JSON call: a non-2xx answer throws an ApiRefusal naming its code and message. */
export async function apiSend(url: URL, init: RequestInit, label: string): Promise<ApiAnswer> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    // fetch wraps ECONNREFUSED in a TypeError whose cause carries the code: let explain() see it.
    const cause = (error as Error).cause ?? error;
    throw Object.assign(
      new Error(`Could not reach ${url.origin}: ${(cause as Error).message ?? String(cause)}`),
      {
        cause,
      },
    );
  }
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { message: text.slice(0, 200) };
  }
  if (!response.ok) {
    const error = (body.error ?? body) as { code?: string; message?: string; Message?: string };
    const message = error.message ?? error.Message ?? (text.slice(0, 200) || response.statusText);
    throw new ApiRefusal(response.status, error.code, message, label);
  }
  return { status: response.status, body };
}

/** The token of a local agent: `agentTokens[as]`, or for agent-1 the older `agentToken`. */
export function localAgentToken(state: LocalServerState, as: string): string {
  const token = state.agentTokens?.[as] ?? (as === 'agent-1' ? state.agentToken : undefined);
  if (!token)
    throw new CliError(
      `The local server published no token for ${as}: restart it with npm start (a newer version).`,
    );
  return token;
}

/** The running local server: the agent's local token stands in for SigV4. */
export function localAgentApi(state: LocalServerState, as: string = 'agent-1'): AgentApi {
  const token = localAgentToken(state, as);
  return {
    target: `the local server at ${state.apiUrl}`,
    request: (method, path, body) =>
      apiSend(
        urlOf(state.apiUrl, path),
        {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        },
        labelOf(method, path),
      ),
  };
}

/** AWS or LocalStack: every call SigV4-signed for `execute-api` with the caller's credentials. */
export function signedAgentApi(
  apiUrl: string,
  credentials: () => Promise<SigningCredentials>,
  region: string,
): AgentApi {
  return {
    target: apiUrl,
    request: async (method, path, body) => {
      const url = urlOf(apiUrl, path);
      return apiSend(
        url,
        await signedInit(method, url, body, await credentials(), region),
        labelOf(method, path),
      );
    },
  };
}

// --- Decisions: checked before any request ---

export const DECISIONS = ['approve_refund', 'goodwill_credit', 'deny', 'resolve'] as const;
export type Decision = (typeof DECISIONS)[number];
/** The customer reads these decisions' words: the internal note is never shown to them. */
const NEEDS_CUSTOMER_MESSAGE: ReadonlySet<string> = new Set(['deny', 'resolve']);

export interface ChargeAmount {
  readonly chargeId: string;
  readonly amount: number;
}

export interface ResolutionRequest {
  readonly decision: Decision;
  readonly charges?: readonly ChargeAmount[];
  readonly amount?: number;
  readonly currency?: string;
  readonly note: string;
  readonly customerMessage?: string;
}

function minorUnits(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text)))
    throw new UsageError(
      `${flag} is in minor units (cents), a positive whole number such as 1499 for $14.99; got ${text}`,
    );
  return Number(text);
}

/** `CHARGE:AMOUNT` (the amount in minor units); the last colon splits, so a charge id may hold one. */
export function parseCharge(text: string): ChargeAmount {
  const cut = text.lastIndexOf(':');
  if (cut <= 0 || cut === text.length - 1)
    throw new UsageError(`--charge is CHARGE:AMOUNT, e.g. ch_1001:1499 (amount in minor units); got ${text}`);
  return {
    chargeId: text.slice(0, cut),
    amount: minorUnits(`--charge ${text.slice(0, cut)}`, text.slice(cut + 1)),
  };
}

export interface ResolutionFlags {
  readonly charge?: readonly string[];
  readonly amount?: string;
  readonly currency?: string;
  readonly note?: string;
  readonly message?: string;
}

/** The resolution body, or a UsageError naming the first problem (nothing is sent then). */
export function resolutionRequest(decision: string, flags: ResolutionFlags): ResolutionRequest {
  if (!(DECISIONS as readonly string[]).includes(decision))
    throw new UsageError(`decision must be one of ${DECISIONS.join(', ')}, got ${decision}`);
  const note = flags.note?.trim();
  if (!note)
    throw new UsageError('--note is required: why you decided this (internal: the customer never sees it)');
  const customerMessage = flags.message?.trim();
  if (NEEDS_CUSTOMER_MESSAGE.has(decision) && !customerMessage)
    throw new UsageError(
      `${decision} needs --message "...": what the customer is told (the note stays internal)`,
    );
  const charges = (flags.charge ?? []).map(parseCharge);
  if (charges.length > 0 && decision !== 'approve_refund')
    throw new UsageError(`--charge is for approve_refund (the charges to refund), not ${decision}`);
  const ids = charges.map((c) => c.chargeId);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new UsageError(`--charge ${repeated} is given twice: one amount per charge`);
  if (flags.amount !== undefined && (decision === 'deny' || decision === 'resolve'))
    throw new UsageError(`--amount is for approve_refund or goodwill_credit, not ${decision}`);
  const amount = flags.amount !== undefined ? minorUnits('--amount', flags.amount) : undefined;
  if (flags.currency !== undefined && !/^[A-Z]{3}$/.test(flags.currency))
    throw new UsageError(`--currency is an ISO 4217 code such as EUR; got ${flags.currency}`);
  return {
    decision: decision as Decision,
    ...(charges.length > 0 ? { charges } : {}),
    ...(amount !== undefined ? { amount } : {}),
    ...(flags.currency !== undefined ? { currency: flags.currency } : {}),
    note,
    ...(customerMessage ? { customerMessage } : {}),
  };
}

// --- The queue ---

export const AGENT_STATUSES = [
  'awaiting_agent',
  'claimed',
  'needs_attention',
  'awaiting_second_approval',
] as const;

export interface Money {
  readonly currency: string;
  readonly amount: number;
}

export interface QueuedCase {
  readonly caseId: string;
  readonly status?: string;
  readonly priority?: string;
  readonly reason?: string;
  readonly intent?: string;
  readonly queue?: string;
  readonly waitedSeconds?: number;
  readonly slaDeadline?: string | null;
  readonly escalations?: number;
  readonly claimedBy?: string | null;
  readonly atStake?: readonly Money[];
  readonly message?: string;
}

export interface QueuePage {
  readonly cases: readonly QueuedCase[];
  readonly more: boolean;
}

/** Pages of GET /v1/agent/cases, following nextToken until `max` cases (or the end). */
export async function listQueue(
  api: AgentApi,
  query: { readonly queue: string; readonly status?: string; readonly max: number },
): Promise<QueuePage> {
  const cases: QueuedCase[] = [];
  let nextToken: string | undefined;
  do {
    const params = new URLSearchParams({
      queue: query.queue,
      limit: String(Math.min(query.max - cases.length, 100)),
    });
    if (query.status) params.set('status', query.status);
    if (nextToken) params.set('nextToken', nextToken);
    const { body } = await api.request('GET', `agent/cases?${params}`);
    const page = Array.isArray(body.items) ? (body.items as QueuedCase[]) : [];
    cases.push(...page.slice(0, query.max - cases.length));
    nextToken = typeof body.nextToken === 'string' && body.nextToken ? body.nextToken : undefined;
    // A page with no cases and a token would loop for ever on a broken server.
    if (page.length === 0) break;
  } while (nextToken && cases.length < query.max);
  return { cases, more: nextToken !== undefined };
}

/** `4m 10s`, `2h 5m`, `3d 4h`, `45s`: the two largest units. */
export function humanDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const units: [string, number][] = [
    ['d', Math.floor(s / 86_400)],
    ['h', Math.floor((s % 86_400) / 3600)],
    ['m', Math.floor((s % 3600) / 60)],
    ['s', s % 60],
  ];
  const first = units.findIndex(([, n]) => n > 0);
  if (first === -1) return '0s';
  return units
    .slice(first, first + 2)
    .filter(([, n]) => n > 0)
    .map(([unit, n]) => `${n}${unit}`)
    .join(' ');
}

/** The time left before the SLA deadline, or `overdue`. */
export function slaText(deadline: string | null | undefined, now: Date): string {
  if (!deadline) return '-';
  const at = Date.parse(deadline);
  if (Number.isNaN(at)) return deadline;
  const left = at - now.getTime();
  return left <= 0 ? 'overdue' : `${humanDuration(left / 1000)} left`;
}

/** One currency at a time, never added across currencies. */
export function moneyText(amounts: readonly Money[] | undefined): string {
  if (!amounts || amounts.length === 0) return '-';
  return amounts.map((m) => money(m.amount, m.currency)).join(' + ');
}

function money(amount: number, currency: string): string {
  try {
    return formatMoney(amount, currency);
  } catch {
    // An unknown currency code: the minor units as they are.
    return `${amount} ${currency} (minor units)`;
  }
}

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** The queue as a table: one row per case, its redacted message on the line below. */
export function queueLines(queue: string, page: QueuePage, now: Date, status?: string): string[] {
  const { cases } = page;
  const what = status ? `${status} ` : '';
  const head = `${cases.length} ${what}case${cases.length === 1 ? '' : 's'} on the ${queue} queue${cases.length > 1 ? ', most urgent first' : ''}`;
  if (cases.length === 0) return [head];
  const header = ['PRIORITY', 'STATUS', 'WAITED', 'SLA', 'ESC', 'AT STAKE', 'REASON', 'CLAIMED BY', 'CASE'];
  const rows = cases.map((c) => [
    c.priority ?? 'normal',
    c.status ?? '-',
    c.waitedSeconds !== undefined ? humanDuration(c.waitedSeconds) : '-',
    slaText(c.slaDeadline, now),
    String(c.escalations ?? 0),
    moneyText(c.atStake),
    c.reason ?? '-',
    c.claimedBy ?? '-',
    c.caseId,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const lines = [head, format(header)];
  cases.forEach((c, i) => {
    lines.push(format(rows[i] as string[]));
    lines.push(`    "${oneLine(c.message ?? '', 300)}"`);
  });
  if (page.more) lines.push(`more cases are waiting: --max ${cases.length * 2} shows more`);
  return lines;
}

// --- The evidence pack: rendered from whatever fields it has, the known ones in the order an agent reads them ---

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isMoney = (v: Json): v is Money =>
  isObject(v) && typeof v.amount === 'number' && typeof v.currency === 'string' && Object.keys(v).length <= 2;
const TIME_KEYS = ['chargedAt', 'at', 'date', 'createdAt', 'billedAt', 'timestamp'];
const ID_KEYS = ['chargeId', 'id', 'caseId', 'orderId', 'refundId', 'creditId'];
/** Minor-unit fields whose currency is the object's `currency`. */
const MONEY_KEY = /(amount|remainder|refunded|refundable|remaining|total|credited|price)$/i;
const BILLING_ERROR_KEYS = [
  'billingError',
  'isBillingError',
  'billingErrorKind',
  'billingErrorKinds',
  'type',
];

function scalar(key: string, value: Json, currency: string | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number' && currency && MONEY_KEY.test(key)) return money(value, currency);
  if (isMoney(value)) return money(value.amount, value.currency);
  if (Array.isArray(value) && value.length > 0 && value.every(isMoney)) return moneyText(value as Money[]);
  if (Array.isArray(value))
    return value.length === 0 ? 'none' : value.map((v) => scalar(key, v, currency)).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return JSON.stringify(value);
}

const isScalarish = (v: Json) =>
  !isObject(v) && !Array.isArray(v)
    ? true
    : isMoney(v) || (Array.isArray(v) && v.every((x) => isMoney(x) || !isObject(x)));

/** `key value  key value` on one line, for small objects (a charge, a ledger line, a past case). */
function compact(item: Record<string, Json>, skip: ReadonlySet<string> = new Set(), outer?: string): string {
  const own = typeof item.currency === 'string' ? item.currency : undefined;
  const currency = own ?? outer;
  const keys = Object.keys(item).filter((k) => !skip.has(k) && !(k === 'currency' && own));
  const ordered = [
    ...TIME_KEYS.filter((k) => keys.includes(k)),
    ...ID_KEYS.filter((k) => keys.includes(k)),
    ...keys.filter((k) => !TIME_KEYS.includes(k) && !ID_KEYS.includes(k)),
  ];
  return ordered
    .map((k) => {
      const v = item[k];
      if (TIME_KEYS.includes(k) || ID_KEYS.includes(k)) return scalar(k, v, currency);
      return `${k} ${isScalarish(v) ? scalar(k, v, currency) : JSON.stringify(v)}`;
    })
    .join('  ');
}

/** Any value, indented: scalars on their key's line, small objects on one line, others nested. */
function render(key: string, value: Json, indent: string, currency?: string): string[] {
  if (isScalarish(value)) return [`${indent}${key}: ${scalar(key, value, currency)}`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}${key}: none`];
    return [`${indent}${key}:`, ...value.flatMap((item) => itemLines(item, `${indent}  `, currency))];
  }
  const object = value as Record<string, Json>;
  const inner = typeof object.currency === 'string' ? object.currency : currency;
  const line = compact(object, new Set(), inner);
  if (line.length <= 140 && Object.values(object).every(isScalarish)) return [`${indent}${key}: ${line}`];
  return [
    `${indent}${key}:`,
    ...Object.entries(object).flatMap(([k, v]) => render(k, v, `${indent}  `, inner)),
  ];
}

function itemLines(item: Json, indent: string, currency?: string): string[] {
  if (!isObject(item)) return [`${indent}- ${scalar('', item, undefined)}`];
  const line = compact(item, new Set(), currency);
  if (line.length <= 160 && Object.values(item).every(isScalarish)) return [`${indent}- ${line}`];
  const inner = typeof item.currency === 'string' ? item.currency : currency;
  const [first, ...rest] = Object.entries(item).flatMap(([k, v]) => render(k, v, `${indent}  `, inner));
  return [`${indent}- ${(first ?? '').trimStart()}`, ...rest];
}

const timeOf = (item: Record<string, Json>) => {
  for (const k of TIME_KEYS) if (typeof item[k] === 'string') return Date.parse(item[k] as string);
  return Number.NaN;
};

/** Every ISO instant under a key naming a cancellation, anywhere in the pack (effectiveAt, requestedAt...). */
function cancellationInstants(value: Json, path: string, inside = false): { label: string; at: string }[] {
  if (typeof value === 'string')
    return inside && /^\d{4}-\d\d-\d\dT/.test(value) ? [{ label: path, at: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => cancellationInstants(v, `${path}[${i}]`, inside));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    cancellationInstants(v, path ? `${path}.${k}` : k, inside || /cancel/i.test(k)),
  );
}

function isBillingError(charge: Record<string, Json>): string | undefined {
  const kinds = charge.billingErrorKinds;
  if (charge.isBillingError === true && Array.isArray(kinds) && kinds.length > 0)
    return `BILLING ERROR (${kinds.join(', ')})`;
  for (const k of BILLING_ERROR_KEYS) {
    if (k === 'type' || k === 'billingErrorKinds') continue;
    const v = charge[k];
    if (v === true) return 'BILLING ERROR';
    if (typeof v === 'string' && v) return `BILLING ERROR (${v})`;
    if (isObject(v)) return `BILLING ERROR (${compact(v)})`;
  }
  return undefined;
}

/** The charges oldest first, the cancellation instant(s) in their place, billing errors marked. */
function chargeLines(charges: readonly Json[], pack: Record<string, Json>): string[] {
  // The API places each subscription's effective cancellation among the charges itself (type cancellation_effective).
  const marked = charges.some((c) => isObject(c) && c.type === 'cancellation_effective');
  const instants = (marked ? [] : cancellationInstants(pack, '')).map((c) => ({
    at: Date.parse(c.at),
    line: `  ${c.at}  ── cancellation (${c.label}) ──`,
  }));
  const rows = charges.map((charge) => {
    if (!isObject(charge)) return { at: Number.NaN, line: `  ${scalar('', charge, undefined)}` };
    if (charge.type === 'cancellation_effective') {
      const at = String(charge.at ?? charge.cancelledAt ?? '');
      return {
        at: Date.parse(at),
        line: `  ${at}  ── ${String(charge.subscriptionId ?? 'subscription')} cancellation effective ──`,
      };
    }
    const mark = isBillingError(charge);
    const text = compact(charge, new Set([...BILLING_ERROR_KEYS, ...(charge.chargedAt ? ['at'] : [])]));
    return { at: timeOf(charge), line: `  ${mark ? '! ' : ''}${text}${mark ? `  ${mark}` : ''}` };
  });
  const dated = [...rows, ...instants.filter((i) => !Number.isNaN(i.at))];
  // Stable: charges without a date keep their place at the end.
  return [
    ...dated.filter((r) => !Number.isNaN(r.at)).sort((a, b) => a.at - b.at),
    ...dated.filter((r) => Number.isNaN(r.at)),
  ].map((r) => r.line);
}

const SECTIONS: readonly { title: string; keys: readonly string[] }[] = [
  {
    title: 'Message and classification',
    keys: ['message', 'redactedMessage', 'intent', 'confidence', 'markers', 'sentiment', 'classification'],
  },
  { title: 'Rule and receipt', keys: ['outcome', 'rule', 'reason', 'receipt', 'decision'] },
  { title: 'Charges (oldest first)', keys: ['charges', 'customerCharges'] },
  { title: 'Ledger', keys: ['ledger', 'ledgerLines'] },
  { title: 'Order', keys: ['order', 'orderCharge'] },
  { title: 'Proposed refund', keys: ['proposedRefund', 'proposal'] },
  { title: 'Refunds and credits', keys: ['refunds', 'credits', 'money'] },
  { title: 'Last cases', keys: ['otherCases', 'lastCases', 'recentCases', 'previousCases', 'history'] },
  { title: 'Callback', keys: ['callbackPhone', 'callbackNumber', 'phoneNumber', 'callback', 'contact'] },
  { title: 'Timeline', keys: ['timeline'] },
];
const HEADER_KEYS = [
  'caseId',
  'customerId',
  'status',
  'queue',
  'handoffQueue',
  'priority',
  'waitedSeconds',
  'slaDeadline',
  'escalations',
  'claimedBy',
  'pendingApproval',
];

/** The evidence pack for a terminal: a header, then one titled section per known part, then anything else. */
export function evidenceLines(pack: Record<string, Json>, now: Date): string[] {
  const body =
    isObject(pack.case) && !pack.caseId ? { ...(pack.case as Record<string, Json>), ...pack } : pack;
  const used = new Set<string>(['case']);
  const lines: string[] = [];
  const head = [
    `case ${scalar('', body.caseId ?? '?', undefined)}`,
    ...(body.customerId ? [`customer ${scalar('', body.customerId, undefined)}`] : []),
    ...(body.status ? [`status ${scalar('', body.status, undefined)}`] : []),
    ...(body.queue || body.handoffQueue
      ? [`queue ${scalar('', body.queue ?? body.handoffQueue, undefined)}`]
      : []),
    ...(body.priority ? [`priority ${scalar('', body.priority, undefined)}`] : []),
  ];
  lines.push(head.join('  '));
  const second = [
    ...(typeof body.waitedSeconds === 'number' ? [`waited ${humanDuration(body.waitedSeconds)}`] : []),
    ...(body.slaDeadline !== undefined ? [`SLA ${slaText(body.slaDeadline as string | null, now)}`] : []),
    ...(body.escalations !== undefined ? [`escalations ${scalar('', body.escalations, undefined)}`] : []),
    ...(body.claimedBy ? [`claimed by ${scalar('', body.claimedBy, undefined)}`] : []),
  ];
  if (second.length > 0) lines.push(second.join('  '));
  for (const k of HEADER_KEYS) if (k !== 'pendingApproval') used.add(k);
  if (body.pendingApproval) lines.push(...render('waiting for a second approval', body.pendingApproval, ''));
  used.add('pendingApproval');

  for (const section of SECTIONS) {
    const present = section.keys.filter((k) => body[k] !== undefined);
    if (present.length === 0) continue;
    lines.push('', `${section.title}:`);
    for (const key of present) {
      used.add(key);
      const value = body[key];
      if (section.title.startsWith('Charges')) {
        const list = Array.isArray(value)
          ? value
          : isObject(value)
            ? Object.values(value).find(Array.isArray)
            : undefined;
        if (list) {
          lines.push(...(list.length > 0 ? chargeLines(list, body) : ['  none']));
          if (isObject(value))
            for (const [k, v] of Object.entries(value)) if (v !== list) lines.push(...render(k, v, '  '));
          continue;
        }
      }
      if (key === 'message' && typeof value === 'string') lines.push(`  "${value}"`);
      else if (key === 'timeline' && Array.isArray(value))
        lines.push(
          ...(value.length > 0
            ? value.map((entry) => `  ${isObject(entry) ? compact(entry) : String(entry)}`)
            : ['  none']),
        );
      else lines.push(...render(key, value, '  '));
    }
  }
  const rest = Object.keys(body).filter((k) => !used.has(k));
  if (rest.length > 0) {
    lines.push('', 'Also:');
    for (const key of rest) lines.push(...render(key, body[key], '  '));
  }
  return lines;
}

// --- Returns: the inspection and the returns waiting for an agent ---

export interface InspectionRequest {
  readonly result: 'pass' | 'fail';
  readonly note: string;
  readonly customerMessage?: string;
}

/** The inspection body, checked before any request: pass or fail, and the internal note. */
export function inspectionRequest(
  result: string,
  flags: { note?: string; customerMessage?: string },
): InspectionRequest {
  if (result !== 'pass' && result !== 'fail')
    throw new UsageError(`result must be pass or fail, got ${result}`);
  const note = flags.note?.trim();
  if (!note)
    throw new UsageError(
      '--note is required: what you found (kept on the return, never shown to the customer)',
    );
  const customerMessage = flags.customerMessage?.trim();
  return { result, note, ...(customerMessage ? { customerMessage } : {}) };
}

interface AgentReturnItem {
  readonly returnId?: string;
  readonly orderId?: string;
  readonly customerId?: string;
  readonly status?: string;
  readonly refundAmount?: number;
  readonly currency?: string;
  readonly updatedAt?: string;
  readonly attentionReason?: string | null;
  readonly items?: readonly { readonly sku?: string; readonly quantity?: number }[];
}

/** GET /v1/agent/returns as lines: one per return, longest waiting first (the API's order). */
export function agentReturnLines(body: Record<string, unknown>, status: string, now: Date): string[] {
  const items = (Array.isArray(body.items) ? body.items : []) as AgentReturnItem[];
  if (items.length === 0) return [`no returns ${status.replace('_', ' ')}`];
  const lines = [`${items.length} return${items.length === 1 ? '' : 's'} ${status.replace('_', ' ')}:`];
  for (const r of items) {
    const since = r.updatedAt
      ? Math.max(0, Math.round((now.getTime() - Date.parse(r.updatedAt)) / 60000))
      : undefined;
    const amount =
      typeof r.refundAmount === 'number' && r.currency ? ` ${formatMoney(r.refundAmount, r.currency)}` : '';
    const skus = (r.items ?? []).map((i) => `${i.quantity ?? 1}x ${i.sku ?? '?'}`).join(', ');
    lines.push(
      `  ${r.returnId ?? '?'}  order ${r.orderId ?? '?'}  customer ${r.customerId ?? '?'}${amount}  ${skus}` +
        `${since !== undefined ? `  waiting ${since} min` : ''}${r.attentionReason ? `  (${r.attentionReason})` : ''}`,
    );
  }
  return lines;
}
