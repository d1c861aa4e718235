/**
 * Returns in the chat (POLICY v2 "Returns"): "Return an item" picks an order from all of the customer's (GET /v1/orders,
 * each saying whether it can be returned now and why not), its items with quantities bounded by what is still
 * returnable, and a reason, and POSTs /v1/returns; an ineligible return shows the API's reason in words, an accepted
 * one its refund, refund policy, label and tracking id, and its status and timeline as they change
 * (GET /v1/returns/{id}, polled with back-off). Below, the customer's returns (GET /v1/returns).
 */
import { useCallback, useState } from 'preact/hooks';
import { ApiError, call, errorText, idempotencyKey } from '../lib/api';
import { FormProblems } from '../lib/form-parts';
import { formatDate, formatDateTime, formatMoney, humanize } from '../lib/format';
import type { Session } from '../lib/session';
import type { MessageItem, OrderSummary, ReturnReason, ReturnStatus, ReturnView } from '../lib/types';
import { useAsync } from '../lib/use-async';
import { usePolled } from '../lib/use-polled';
import { OrderPicker, useOrderPages } from './OrderPicker';

const REASONS: Record<ReturnReason, string> = {
  damaged: 'It arrived damaged',
  wrong_item: 'I got the wrong item',
  not_as_described: 'It is not as described',
  no_longer_needed: 'I no longer need it',
  other: 'Another reason',
};

export const STATUS_WORDS: Record<ReturnStatus, string> = {
  requested: 'Accepted: the carrier is issuing your label…',
  label_created: 'Label ready: drop the package off with the carrier.',
  in_transit: 'On its way back to us.',
  awaiting_inspection: 'At our warehouse, waiting for inspection.',
  refunded: 'Refunded.',
  rejected: 'Not refunded.',
  expired: 'Expired: the label was never scanned, nothing was refunded.',
};

const POLICY_WORDS: Record<ReturnView['refundPolicy'], string> = {
  refund_at_first_scan: 'Refunded as soon as the carrier first scans the package.',
  inspect_then_refund: 'Refunded once the package reaches our warehouse and passes inspection.',
};

const REFUND_WORDS: Record<ReturnView['refund']['status'], string> = {
  none: 'not issued yet',
  pending: 'pending: on its way to your card',
  succeeded: 'succeeded: the money is back on your card',
  failed: 'failed: a billing specialist will contact you',
  canceled: 'canceled',
};

const FINAL: readonly ReturnStatus[] = ['refunded', 'rejected', 'expired'];
const settled = (r: ReturnView) => FINAL.includes(r.status) && r.refund.status !== 'pending';

/** One return, followed until it settles: polls with back-off (quick after a change, up to every 5 s). */
export function ReturnStatusView(props: { session: Session; returnId: string; onChange?: () => void }) {
  const { session, returnId, onChange } = props;
  const { value, error } = usePolled(
    async () => {
      const view = await call<ReturnView>(session.fetch, `/v1/returns/${encodeURIComponent(returnId)}`);
      // A return refused after the fact (a failed inspection) says why in its message: the agent's words.
      if (view.status !== 'rejected') return { view, why: null };
      const inbox = await call<{ messages: MessageItem[] }>(session.fetch, '/v1/messages?limit=50');
      return { view, why: inbox.messages.find((m) => m.caseId === returnId) ?? null };
    },
    {
      firstMs: 300,
      maxMs: 5000,
      fingerprint: ({ view }) => JSON.stringify([view.status, view.refund.status, view.timeline.length]),
      onChange: () => onChange?.(),
      settled: ({ view }) => settled(view),
    },
    [session, returnId, onChange],
  );
  const view = value?.view;
  const why = value?.why ?? null;

  if (!view) return error ? <p role="alert">{errorText(error)}</p> : <p>Loading the return…</p>;
  return (
    <div class="return-status" data-return-id={view.returnId} data-return-status={view.status}>
      <p>
        <strong>Return of order {view.orderId}</strong>: {STATUS_WORDS[view.status]}
      </p>
      <dl class="facts">
        <dt>Refund</dt>
        <dd>
          {formatMoney(view.refundAmount, view.currency)}
          {view.refund.status !== 'none' && (
            <span data-refund-status={view.refund.status}>
              {' '}
              · {formatMoney(view.refund.amount, view.refund.currency)} {REFUND_WORDS[view.refund.status]}
            </span>
          )}
        </dd>
        <dt>When</dt>
        <dd>{POLICY_WORDS[view.refundPolicy]}</dd>
        {view.label && (
          <>
            <dt>Label</dt>
            <dd>
              <a href={view.label.labelUrl} target="_blank" rel="noopener noreferrer">
                Print your {view.label.carrier} label
              </a>{' '}
              (use by {formatDateTime(view.label.expiresAt)})
            </dd>
            <dt>Tracking</dt>
            <dd class="tracking">{view.label.trackingId}</dd>
          </>
        )}
      </dl>
      {why && view.status === 'rejected' && (
        <div class="message">
          <p class="subject">{why.subject}</p>
          <p>{why.body}</p>
        </div>
      )}
      <ol class="timeline" aria-label={`Timeline of the return of order ${view.orderId}`}>
        {view.timeline.map((t) => (
          <li key={`${t.at}:${t.status}`}>
            <time dateTime={t.at}>{formatDateTime(t.at)}</time> · {humanize(t.status)}: {t.note}
          </li>
        ))}
      </ol>
      {error !== null && <p class="muted">Reconnecting… ({errorText(error)})</p>}
    </div>
  );
}

/** The chosen order's items: a quantity for each that can still go back, the others say why they cannot. */
function ItemQuantities(props: {
  readonly order: OrderSummary;
  readonly quantities: Record<string, string>;
  readonly onQuantity: (sku: string, value: string) => void;
}) {
  const { order, quantities } = props;
  return (
    <fieldset>
      <legend>Items of order {order.orderId} to return</legend>
      <p class="muted small">
        {order.deliveredAt ? `Delivered ${formatDate(order.deliveredAt)}` : humanize(order.status)}
        {order.carrier ? ` by ${order.carrier}` : ''}
        {order.trackingId ? ` (tracking ${order.trackingId})` : ''}.
      </p>
      {order.items.map((item, index) =>
        item.returnable > 0 ? (
          <div key={item.sku} class="field">
            <label for={`return-qty-${index}`}>
              Quantity of {item.name} ({item.sku}) to return, up to {item.returnable}
            </label>
            <input
              id={`return-qty-${index}`}
              type="number"
              min={0}
              max={item.returnable}
              step={1}
              inputMode="numeric"
              value={quantities[item.sku] ?? '0'}
              onInput={(e) => props.onQuantity(item.sku, (e.target as HTMLInputElement).value)}
            />
            <span class="muted small">
              {formatMoney(item.unitPrice, order.currency)} each
              {item.returned > 0 ? ` · ${item.returned} of ${item.quantity} already returned` : ''}
            </span>
          </div>
        ) : (
          <p key={item.sku} class="not-returnable small">
            {item.name} ({item.sku}):{' '}
            {item.finalSale ? 'final sale, cannot be returned.' : `all ${item.quantity} already returned.`}
          </p>
        ),
      )}
    </fieldset>
  );
}

/** What stops the return from being sent, in words; none when it can go. */
function problemsOf(
  order: OrderSummary | undefined,
  quantities: Record<string, string>,
  reason: ReturnReason | '',
): string[] {
  const found: string[] = [];
  if (!order) found.push('Pick the order.');
  else {
    const lines = order.items.filter((i) => i.returnable > 0);
    const asked = lines.map((i) => ({ item: i, quantity: Number(quantities[i.sku] ?? '0') }));
    if (asked.some((a) => !Number.isInteger(a.quantity) || a.quantity < 0))
      found.push('Quantities are whole numbers.');
    else {
      for (const a of asked)
        if (a.quantity > a.item.returnable)
          found.push(`At most ${a.item.returnable} of ${a.item.name} (${a.item.sku}) can be returned.`);
      if (asked.every((a) => a.quantity === 0)) found.push('Return at least one item.');
    }
  }
  if (!reason) found.push('Pick the reason for the return.');
  return found;
}

/** "Return an item": the form; calls back with the accepted return's id. */
function ReturnForm(props: {
  session: Session;
  onCreated: (returnId: string) => void;
  onCancel: () => void;
}) {
  const { session } = props;
  const pages = useOrderPages(session);
  const [orderId, setOrderId] = useState('');
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [reason, setReason] = useState<ReturnReason | ''>('');
  const [comment, setComment] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [key] = useState(idempotencyKey);

  const picked = pages.orders.find((o) => o.orderId === orderId && o.returnable);

  const pickOrder = (value: string) => {
    setOrderId(value);
    setRefusal(null);
    const order = pages.orders.find((o) => o.orderId === value);
    const lines = order?.items.filter((i) => i.returnable > 0) ?? [];
    // One line to return: one of it is the likely return; with several, the customer says which.
    setQuantities(Object.fromEntries(lines.map((i) => [i.sku, lines.length === 1 ? '1' : '0'])));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = problemsOf(picked, quantities, reason);
    setProblems(found);
    setRefusal(null);
    if (found.length > 0 || !picked) return;
    const items = picked.items
      .map((i) => ({ sku: i.sku, quantity: Number(quantities[i.sku] ?? '0') }))
      .filter((i) => i.quantity > 0);
    setSending(true);
    try {
      const created = await call<ReturnView>(session.fetch, '/v1/returns', {
        method: 'POST',
        body: {
          orderId: picked.orderId,
          items,
          reason,
          ...(comment.trim() ? { comment: comment.trim() } : {}),
        },
        headers: { 'Idempotency-Key': key },
      });
      props.onCreated(created.returnId);
    } catch (caught) {
      // A 422 names the rule in words (the window closed since the list loaded, another return took the items).
      setRefusal(
        caught instanceof ApiError && (caught.status === 422 || caught.status === 404)
          ? caught.message
          : errorText(caught),
      );
    } finally {
      setSending(false);
    }
  };

  return (
    <form class="return-form" onSubmit={submit} noValidate aria-labelledby="return-form-title">
      <h3 id="return-form-title">Return an item</h3>
      <OrderPicker pages={pages} chosen={orderId} onChoose={pickOrder} />
      {picked && (
        <ItemQuantities
          order={picked}
          quantities={quantities}
          onQuantity={(sku, value) => setQuantities((q) => ({ ...q, [sku]: value }))}
        />
      )}
      <div class="field">
        <label for="return-reason">Reason</label>
        <select
          id="return-reason"
          value={reason}
          onChange={(e) => setReason((e.target as HTMLSelectElement).value as ReturnReason)}
        >
          <option value="">Pick a reason…</option>
          {(Object.keys(REASONS) as ReturnReason[]).map((r) => (
            <option key={r} value={r}>
              {REASONS[r]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="return-comment">Comment (optional)</label>
        <textarea
          id="return-comment"
          rows={2}
          maxLength={1000}
          value={comment}
          onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
        />
      </div>
      <FormProblems problems={problems} />
      {refusal && (
        <p class="refusal" role="alert">
          {refusal}
        </p>
      )}
      <div class="row wrap">
        <button type="submit" disabled={sending}>
          Start the return
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The returns card: "Return an item", the return just started, and the customer's returns. */
export function ReturnsCard(props: { session: Session; revision: number; onChange: () => void }) {
  const { session, revision, onChange } = props;
  const [open, setOpen] = useState(false);
  const [followed, setFollowed] = useState<string[]>([]);
  const [listRevision, setListRevision] = useState(0);
  const list = useAsync(
    () => call<{ items: ReturnView[] }>(session.fetch, '/v1/returns'),
    [session, revision, listRevision],
  );
  const changed = useCallback(() => {
    setListRevision((r) => r + 1);
    onChange();
  }, [onChange]);
  const others = list.state === 'ready' ? list.value.items.filter((r) => !followed.includes(r.returnId)) : [];

  return (
    <section aria-labelledby="returns-title" class="card returns">
      <h2 id="returns-title">Returns</h2>
      {open ? (
        <ReturnForm
          session={session}
          onCancel={() => setOpen(false)}
          onCreated={(returnId) => {
            setOpen(false);
            setFollowed((f) => [returnId, ...f.filter((id) => id !== returnId)]);
            changed();
          }}
        />
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          Return an item
        </button>
      )}
      <div aria-live="polite">
        {followed.map((id) => (
          <ReturnStatusView key={id} session={session} returnId={id} onChange={changed} />
        ))}
      </div>
      <h3 id="returns-list-title">Your returns</h3>
      {list.state === 'failed' && <p role="alert">{errorText(list.error)}</p>}
      {list.state === 'ready' &&
        (list.value.items.length === 0 ? (
          <p class="muted">No returns yet.</p>
        ) : (
          <ul class="list" aria-labelledby="returns-list-title">
            {list.value.items.map((r) => (
              <li key={r.returnId} data-return-id={r.returnId}>
                <p>
                  Order {r.orderId} · {formatMoney(r.refundAmount, r.currency)} · {humanize(r.status)}
                </p>
                <p class="muted small">
                  <time dateTime={r.createdAt}>{formatDateTime(r.createdAt)}</time>
                  {r.label ? ` · tracking ${r.label.trackingId}` : ''}
                </p>
                {others.includes(r) && (
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() => setFollowed((f) => [...f, r.returnId])}
                  >
                    Follow the return of order {r.orderId}
                  </button>
                )}
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
