/**
 * The customer's charges on a time line against each subscription's effective cancellation: a charge at or after the
 * dashed line is a billing error (POLICY rule 1). A picture for the eye and the table below it for the exact values.
 */
import { formatDate, formatMoney } from '../lib/format';
import type { CancellationRow, ChargeRow, ChargeTimelineEntry } from '../lib/types';

const WIDTH = 720;
const HEIGHT = 150;
const PAD = 48;
const AXIS_Y = 92;

export function ChargeTimeline({ entries }: { entries: readonly ChargeTimelineEntry[] }) {
  const charges = entries.filter((e): e is ChargeRow => e.type === 'charge');
  const cancellations = entries.filter((e): e is CancellationRow => e.type === 'cancellation_effective');
  if (entries.length === 0) return <p class="muted">No charges on this account.</p>;
  const times = entries.map((e) => Date.parse(e.at));
  const last = Math.max(...times);
  // A single instant (or a few close together) sits in the middle of a day-wide span.
  const span = Math.max(last - Math.min(...times), 86_400_000);
  const first = Math.min(...times) - (span - (last - Math.min(...times))) / 2;
  const x = (at: string) => PAD + ((Date.parse(at) - first) / span) * (WIDTH - 2 * PAD);
  const summary =
    `${charges.length} charge${charges.length === 1 ? '' : 's'}, ${charges.filter((c) => c.isBillingError).length} of them billing errors` +
    (cancellations.length > 0
      ? `; cancellation effective ${cancellations.map((c) => formatDate(c.at)).join(', ')}`
      : '; no cancellation');
  return (
    <figure class="timeline">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="timeline-title"
        class="timeline-svg"
      >
        <title id="timeline-title">Charges against the cancellation: {summary}</title>
        <line x1={PAD - 16} x2={WIDTH - PAD + 16} y1={AXIS_Y} y2={AXIS_Y} class="axis" />
        {cancellations.map((c) => (
          <g key={`cancel-${c.subscriptionId}`} class="cancellation">
            <line x1={x(c.at)} x2={x(c.at)} y1={14} y2={AXIS_Y + 22} />
            <text x={x(c.at) + 4} y={24}>
              {c.plan} cancelled, effective {formatDate(c.at)}
            </text>
          </g>
        ))}
        {charges.map((c, i) => (
          <g key={c.chargeId} class={c.isBillingError ? 'charge error' : 'charge'}>
            <circle cx={x(c.at)} cy={AXIS_Y} r={c.isBillingError ? 9 : 7} />
            <text x={x(c.at)} y={AXIS_Y + (i % 2 === 0 ? 38 : 54)} text-anchor="middle">
              {formatMoney(c.amount, c.currency)} · {formatDate(c.at)}
            </text>
          </g>
        ))}
      </svg>
      <figcaption class="legend">
        <span class="dot error" aria-hidden="true" /> billing error <span class="dot" aria-hidden="true" />{' '}
        charge <span class="dash" aria-hidden="true" /> cancellation effective
      </figcaption>
      <div class="table-wrap">
        <table>
          <caption>Charges and the cancellation, in time order</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Amount</th>
              <th scope="col">Billing error</th>
              <th scope="col">Refunded</th>
              <th scope="col">Remainder</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) =>
              e.type === 'cancellation_effective' ? (
                <tr key={`cancel-${e.subscriptionId}`} class="marker-row">
                  <td>{formatDate(e.at)}</td>
                  <td colSpan={5}>
                    {e.plan} ({e.subscriptionId}) cancellation effective
                    {e.cancelledAt ? `, asked ${formatDate(e.cancelledAt)}` : ''}
                  </td>
                </tr>
              ) : (
                <tr key={e.chargeId}>
                  <td>{formatDate(e.at)}</td>
                  <td>
                    {e.chargeId}
                    {e.subscriptionId ? ` (${e.subscriptionId})` : ''}
                    {e.orderId ? ` order ${e.orderId}` : ''}
                  </td>
                  <td>{formatMoney(e.amount, e.currency)}</td>
                  <td>
                    {e.isBillingError ? `yes: ${e.billingErrorKinds.join(', ').replace(/_/g, ' ')}` : 'no'}
                  </td>
                  <td>
                    {formatMoney(e.amount - e.remainder, e.currency)}
                    {e.refundedOutside > 0 ? ` (${formatMoney(e.refundedOutside, e.currency)} outside)` : ''}
                  </td>
                  <td>{formatMoney(e.remainder, e.currency)}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
