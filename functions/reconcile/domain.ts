/**
 * Reconciliation: the refund ledger against what the payment provider says, as a report. Pure
 * comparison (no AWS, injected clock); nothing is paid or changed by it.
 */
import type { PaymentProviderName, RefundStatus } from '../shared/payments/provider.js';
import type { IsoInstant, MinorUnits } from '../shared/types.js';

/** A ledger line as `ledgerLines` returns it (the fields read here). */
export interface ReconcileLine {
  readonly customerId: string;
  readonly chargeId: string;
  readonly caseId: string;
  readonly currency: string;
  readonly amount: MinorUnits;
  /** Absent on lines written before statuses existed: those were recorded, so succeeded. */
  readonly status?: RefundStatus;
  readonly provider?: PaymentProviderName;
  readonly providerRefundId?: string;
  readonly at: IsoInstant;
  readonly updatedAt?: IsoInstant;
}

/** The provider's view of one refund (amount and currency when the adapter reports them). */
export interface ProviderRefundView {
  readonly status: RefundStatus;
  readonly amount?: MinorUnits;
  readonly currency?: string;
  readonly failureReason?: string;
}

export const DISAGREEMENT_KINDS = [
  'status_differs',
  'unknown_at_provider',
  'pending_without_provider_refund',
  'amount_differs',
  'currency_differs',
] as const;
export type DisagreementKind = (typeof DISAGREEMENT_KINDS)[number];

export interface Disagreement {
  readonly kind: DisagreementKind;
  readonly customerId: string;
  readonly chargeId: string;
  readonly caseId: string;
  readonly providerRefundId?: string;
  readonly ledger: { readonly status: RefundStatus; readonly amount: MinorUnits; readonly currency: string };
  readonly provider?: ProviderRefundView;
  /** For a person: what differs and what to do. */
  readonly detail: string;
}

export interface ReconcilePolicy {
  /** A `pending` line without a provider refund id older than this is a crash before the provider call. @default 15 min */
  readonly pendingWithoutIdAfterMs: number;
}

export const DEFAULT_RECONCILE_POLICY: ReconcilePolicy = { pendingWithoutIdAfterMs: 15 * 60_000 };

export interface ReconcileReport {
  readonly generatedAt: IsoInstant;
  /** The provider asked (the configured one). */
  readonly provider: PaymentProviderName;
  /** Ledger lines read. */
  readonly lines: number;
  /** Lines compared with the provider (they have its refund id). */
  readonly checked: number;
  readonly agreed: number;
  /** Lines of another provider than the configured one (not asked). */
  readonly otherProvider: number;
  /** False when the run stopped before asking about every line (time); the rest is asked next run. */
  readonly complete: boolean;
  readonly disagreements: readonly Disagreement[];
}

const statusOf = (line: ReconcileLine): RefundStatus => line.status ?? 'succeeded';
const providerOf = (line: ReconcileLine): PaymentProviderName => line.provider ?? 'ledger';

/** The provider refund ids to ask about: lines of the configured provider that carry one. */
export function refundIdsToAsk(lines: readonly ReconcileLine[], provider: PaymentProviderName): string[] {
  return [
    ...new Set(
      lines
        .filter((line) => providerOf(line) === provider && line.providerRefundId)
        .map((line) => line.providerRefundId as string),
    ),
  ];
}

/**
 * The report: every line of the configured provider with a refund id compared with the provider's
 * answer (`answers`: id → view, null when the provider does not know the id; ids not in the map were
 * not asked, e.g. out of time), and every line stuck `pending` without one.
 */
export function reconcile(
  lines: readonly ReconcileLine[],
  provider: PaymentProviderName,
  answers: ReadonlyMap<string, ProviderRefundView | null>,
  now: Date,
  policy: ReconcilePolicy = DEFAULT_RECONCILE_POLICY,
): ReconcileReport {
  const disagreements: Disagreement[] = [];
  let checked = 0;
  let agreed = 0;
  let otherProvider = 0;
  let complete = true;
  for (const line of lines) {
    const status = statusOf(line);
    const base = {
      customerId: line.customerId,
      chargeId: line.chargeId,
      caseId: line.caseId,
      ...(line.providerRefundId ? { providerRefundId: line.providerRefundId } : {}),
      ledger: { status, amount: line.amount, currency: line.currency },
    };
    if (!line.providerRefundId) {
      const since = Date.parse(line.updatedAt ?? line.at);
      if (
        status === 'pending' &&
        !Number.isNaN(since) &&
        now.getTime() - since > policy.pendingWithoutIdAfterMs
      )
        disagreements.push({
          ...base,
          kind: 'pending_without_provider_refund',
          detail:
            `pending since ${line.updatedAt ?? line.at} and never sent to the provider (a crash before the call): ` +
            'the workflow retries it with the same idempotency key; if it stays, look at the case',
        });
      continue;
    }
    if (providerOf(line) !== provider) {
      otherProvider += 1;
      continue;
    }
    if (!answers.has(line.providerRefundId)) {
      complete = false;
      continue;
    }
    checked += 1;
    const answer = answers.get(line.providerRefundId) ?? null;
    if (!answer) {
      disagreements.push({
        ...base,
        kind: 'unknown_at_provider',
        detail: `${provider} has no refund ${line.providerRefundId}: check the account the ledger was written with`,
      });
      continue;
    }
    const found = differences(line, status, answer);
    if (found.length === 0) agreed += 1;
    for (const [kind, detail] of found) disagreements.push({ ...base, kind, provider: answer, detail });
  }
  return {
    generatedAt: now.toISOString(),
    provider,
    lines: lines.length,
    checked,
    agreed,
    otherProvider,
    complete,
    disagreements,
  };
}

function differences(
  line: ReconcileLine,
  status: RefundStatus,
  answer: ProviderRefundView,
): [DisagreementKind, string][] {
  const found: [DisagreementKind, string][] = [];
  if (answer.status !== status)
    found.push([
      'status_differs',
      `the ledger says ${status}, the provider ${answer.status}${answer.failureReason ? ` (${answer.failureReason})` : ''}: ` +
        'a webhook was missed or not yet delivered',
    ]);
  if (answer.currency !== undefined && answer.currency.toUpperCase() !== line.currency.toUpperCase())
    found.push([
      'currency_differs',
      `the ledger says ${line.currency}, the provider ${answer.currency.toUpperCase()}`,
    ]);
  else if (answer.amount !== undefined && answer.amount !== line.amount)
    found.push([
      'amount_differs',
      `the ledger says ${line.amount}, the provider ${answer.amount} (${line.currency} minor units)`,
    ]);
  return found;
}
