/**
 * Returns awaiting inspection (POLICY v2 "Returns", queue `delivery`): GET /v1/agent/returns lists them longest
 * waiting first; one opens with its items and an inspection form (POST /v1/agent/returns/{id}/inspection): pass
 * refunds, fail refunds nothing and tells the customer why. The note stays with the agents.
 */
import { useState } from 'preact/hooks';
import { call, errorText } from '../lib/api';
import { FormProblems, MessageAndNote } from '../lib/form-parts';
import { formatDateTime, formatDuration, formatMoney, humanize } from '../lib/format';
import type { Session } from '../lib/session';
import type { AgentReturnItem } from '../lib/types';
import { useRefreshed } from '../lib/use-refreshed';
import { consoleUrl } from './urls';

const REFRESH_MS = 5000;

const itemsText = (r: AgentReturnItem) => r.items.map((i) => `${i.quantity} × ${i.sku}`).join(', ');
const waitedSince = (r: AgentReturnItem, now: number) =>
  formatDuration((now - Date.parse(r.updatedAt)) / 1000);

function useAwaiting(session: Session) {
  const { value, error, now } = useRefreshed(
    () => call<{ items: AgentReturnItem[] }>(session.fetch, '/v1/agent/returns?status=awaiting_inspection'),
    REFRESH_MS,
    [session],
  );
  return { items: value?.items ?? null, error, now };
}

export function InspectionBoard({
  session,
  onOpen,
}: {
  session: Session;
  onOpen: (returnId: string) => void;
}) {
  const { items, error, now } = useAwaiting(session);
  return (
    <section class="card queue" aria-labelledby="inspections-title">
      <h2 id="inspections-title">Returns awaiting inspection{items ? ` (${items.length})` : ''}</h2>
      {!items && !error && <p role="status">Loading…</p>}
      {error !== null && <p role="alert">{errorText(error)}</p>}
      {items && items.length === 0 && <p class="muted">No return is waiting for inspection.</p>}
      {items && items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">
              Returns at the warehouse waiting for an inspection, longest waiting first
            </caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Items</th>
                <th scope="col">Amount</th>
                <th scope="col">Customer</th>
                <th scope="col">Waited</th>
                <th scope="col">Return</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.returnId} data-return-id={r.returnId}>
                  <td>{r.orderId}</td>
                  <td>{itemsText(r)}</td>
                  <td>{formatMoney(r.refundAmount, r.currency)}</td>
                  <td>{r.customerId}</td>
                  <td>{waitedSince(r, now)}</td>
                  <td>
                    <a
                      href={consoleUrl(null, r.returnId)}
                      onClick={(e) => {
                        e.preventDefault();
                        onOpen(r.returnId);
                      }}
                    >
                      Inspect <span class="sr-only">the return of order </span>
                      {r.orderId}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function InspectionView(props: { session: Session; returnId: string; onBack: () => void }) {
  const { session, returnId } = props;
  const { items, error, now } = useAwaiting(session);
  const [result, setResult] = useState<'pass' | 'fail' | ''>('');
  const [note, setNote] = useState('');
  const [customerMessage, setCustomerMessage] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const found = items?.find((r) => r.returnId === returnId);

  const submit = async (event: Event) => {
    event.preventDefault();
    const missing: string[] = [];
    if (!result) missing.push('Pick the result: pass or fail.');
    if (!note.trim()) missing.push('Write the internal note (agents only).');
    setProblems(missing);
    if (missing.length > 0 || !result) return;
    setSending(true);
    try {
      await call(session.fetch, `/v1/agent/returns/${encodeURIComponent(returnId)}/inspection`, {
        method: 'POST',
        body: {
          result,
          note: note.trim(),
          ...(customerMessage.trim() ? { customerMessage: customerMessage.trim() } : {}),
        },
      });
      setDone(
        result === 'pass'
          ? 'Passed: the workflow refunds the customer and tells them.'
          : 'Failed: nothing is refunded; the customer is told why.',
      );
    } catch (caught) {
      setProblems([errorText(caught)]);
    } finally {
      setSending(false);
    }
  };

  const back = (
    <a
      href={consoleUrl(null)}
      onClick={(e) => {
        e.preventDefault();
        props.onBack();
      }}
    >
      Back to the queues
    </a>
  );
  if (done)
    return (
      <section class="card" aria-labelledby="inspection-title">
        <h2 id="inspection-title">Inspection sent</h2>
        <p role="status" class="inspection-result">
          {done}
        </p>
        {back}
      </section>
    );
  if (!found)
    return (
      <section class="card" aria-labelledby="inspection-title">
        <h2 id="inspection-title">Return inspection</h2>
        {error !== null && <p role="alert">{errorText(error)}</p>}
        {items ? <p>This return is not awaiting inspection (any more).</p> : <p role="status">Loading…</p>}
        {back}
      </section>
    );
  return (
    <section class="card" aria-labelledby="inspection-title">
      <h2 id="inspection-title">Inspect the return of order {found.orderId}</h2>
      {back}
      <dl class="facts">
        <dt>Customer</dt>
        <dd>{found.customerId}</dd>
        <dt>Items</dt>
        <dd>{itemsText(found)}</dd>
        <dt>Reason</dt>
        <dd>{humanize(found.reason)}</dd>
        <dt>Refund if passed</dt>
        <dd>{formatMoney(found.refundAmount, found.currency)}</dd>
        <dt>Tracking</dt>
        <dd>{found.label?.trackingId ?? '—'}</dd>
        <dt>Waited</dt>
        <dd>{waitedSince(found, now)}</dd>
      </dl>
      <ol class="timeline" aria-label="Timeline of the return">
        {found.timeline.map((t) => (
          <li key={`${t.at}:${t.status}`}>
            <time dateTime={t.at}>{formatDateTime(t.at)}</time> · {humanize(t.status)}: {t.note}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>Inspection result</legend>
          <label class="choice">
            <input
              type="radio"
              name="inspection"
              value="pass"
              checked={result === 'pass'}
              onChange={() => setResult('pass')}
            />
            <span>Pass: refund {formatMoney(found.refundAmount, found.currency)}</span>
          </label>
          <label class="choice">
            <input
              type="radio"
              name="inspection"
              value="fail"
              checked={result === 'fail'}
              onChange={() => setResult('fail')}
            />
            <span>Fail: no refund, the customer is told why</span>
          </label>
        </fieldset>
        <MessageAndNote
          messageLabel="Message to the customer (optional)"
          customerMessage={customerMessage}
          onCustomerMessage={setCustomerMessage}
          note={note}
          onNote={setNote}
        />
        <FormProblems problems={problems} />
        <button type="submit" disabled={sending}>
          Send the inspection
        </button>
      </form>
    </section>
  );
}
