/**
 * `npm run replay -- FILE --what-if key=value ...` (POLICY "Replay format"): the same file replayed as configured and
 * with the change, compared. Pure: the replay command runs both passes and hands their result lines here.
 */
import { formatMoney } from '../functions/shared/money.js';

/** A replay result line, as far as the comparison reads it (message scenarios; return lines have no outcome). */
export interface ComparedResult {
  readonly id: string;
  readonly outcome?: string | null;
  readonly reason?: string | null;
  readonly handoffQueue?: string | null;
  readonly returnStatus?: string | null;
  readonly refundedChargeIds?: readonly string[];
  readonly refundedAmount?: number | null;
}

export interface ScenarioChange {
  readonly id: string;
  readonly before: ComparedFields;
  readonly after: ComparedFields;
}

const COMPARED = [
  'outcome',
  'reason',
  'handoffQueue',
  'returnStatus',
  'refundedChargeIds',
  'refundedAmount',
] as const;

export type ComparedFields = Omit<ComparedResult, 'id'>;

function essentials(r: ComparedResult): ComparedFields {
  const picked: Record<string, unknown> = {};
  for (const field of COMPARED) if (r[field] !== undefined) picked[field] = r[field];
  return picked as ComparedFields;
}

/** Every scenario whose outcome, reason, queue or refund differs between the passes, in the file's order. */
export function changedScenarios(
  before: readonly ComparedResult[],
  after: readonly ComparedResult[],
): ScenarioChange[] {
  const afterById = new Map(after.map((r) => [r.id, r]));
  return before.flatMap((b) => {
    const a = afterById.get(b.id);
    if (!a) return [];
    const differs = COMPARED.some(
      (field) => JSON.stringify(b[field] ?? null) !== JSON.stringify(a[field] ?? null),
    );
    return differs ? [{ id: b.id, before: essentials(b), after: essentials(a) }] : [];
  });
}

/** Per-currency money refunded in a pass: each scenario's refund is in its refunded charges' currency (never one sum). */
export function refundedByCurrency(
  results: readonly ComparedResult[],
  chargeCurrencies: ReadonlyMap<string, ReadonlyMap<string, string>>,
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const r of results) {
    const amount = r.refundedAmount ?? 0;
    if (amount <= 0) continue;
    const first = r.refundedChargeIds?.[0];
    const currency = (first && chargeCurrencies.get(r.id)?.get(first)) ?? 'unknown';
    totals.set(currency, (totals.get(currency) ?? 0) + amount);
  }
  return totals;
}

function countBy(
  results: readonly ComparedResult[],
  key: (r: ComparedResult) => string | null,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of results) {
    const k = key(r);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

function table(
  title: string,
  header: string,
  before: Map<string, number>,
  after: Map<string, number>,
  show: (n: number, k: string) => string,
) {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const rows = keys.map((k) => {
    const b = before.get(k) ?? 0;
    const a = after.get(k) ?? 0;
    const delta = a - b;
    return `| ${k} | ${show(b, k)} | ${show(a, k)} | ${delta > 0 ? '+' : ''}${show(delta, k)} |`;
  });
  return [
    `### ${title}`,
    '',
    `| ${header} | before | after | change |`,
    '|---|---:|---:|---:|',
    ...(rows.length ? rows : ['| (none) | | | |']),
    '',
  ];
}

/** The three tables the operator reads on stderr: outcomes, refunded money per currency, handoffs per queue. */
export function whatIfReport(
  before: readonly ComparedResult[],
  after: readonly ComparedResult[],
  chargeCurrencies: ReadonlyMap<string, ReadonlyMap<string, string>>,
  change: readonly string[],
): string {
  const outcome = (r: ComparedResult) =>
    r.outcome ? `${r.outcome} / ${r.reason ?? ''}` : r.returnStatus ? `return ${r.returnStatus}` : null;
  const queue = (r: ComparedResult) => (r.outcome === 'human_handoff' ? (r.handoffQueue ?? 'none') : null);
  const count = (n: number) => String(n);
  const money = (n: number, currency: string) =>
    currency === 'unknown' ? String(n) : formatMoney(n, currency);
  const changed = changedScenarios(before, after).length;
  return [
    '',
    `What if ${change.join(', ')}: ${changed} of ${before.length} scenario(s) change`,
    '',
    ...table('Outcomes', 'outcome / reason', countBy(before, outcome), countBy(after, outcome), count),
    ...table(
      'Refunded money per currency',
      'currency',
      refundedByCurrency(before, chargeCurrencies),
      refundedByCurrency(after, chargeCurrencies),
      money,
    ),
    ...table('Handoffs per queue', 'queue', countBy(before, queue), countBy(after, queue), count),
  ].join('\n');
}

/** Each scenario's charges by id with their currency, read from the replay file's lines. */
export function chargeCurrenciesOf(lines: readonly string[]): Map<string, Map<string, string>> {
  const byScenario = new Map<string, Map<string, string>>();
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const s = JSON.parse(line) as { id?: string; charges?: { id?: string; currency?: string }[] };
      if (typeof s.id !== 'string') continue;
      byScenario.set(
        s.id,
        new Map((s.charges ?? []).flatMap((c) => (c.id && c.currency ? [[c.id, c.currency]] : []))),
      );
    } catch {
      // The replay passes report unreadable lines themselves.
    }
  }
  return byScenario;
}
