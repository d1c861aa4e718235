/**
 * The return form's order picker: every order of the customer's (GET /v1/orders, newest first, a page at a time),
 * each saying whether it can be returned now and, if not, why (not delivered, window closed, final sale, all
 * returned). Orders that cannot be returned are listed but cannot be picked.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { call, errorText } from '../lib/api';
import { formatDate, formatMoney } from '../lib/format';
import type { Session } from '../lib/session';
import type { OrderPageView, OrderSummary } from '../lib/types';

export const ORDERS_PER_PAGE = 5;

export interface OrderPages {
  readonly orders: readonly OrderSummary[];
  readonly more: boolean;
  readonly loading: boolean;
  readonly error: unknown;
  loadMore(): void;
}

/** The customer's orders, page after page; an answer for an older session is dropped. */
export function useOrderPages(session: Session): OrderPages {
  const [orders, setOrders] = useState<readonly OrderSummary[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const current = useRef(0);

  const load = useCallback(
    async (token: string | null, generation: number) => {
      setLoading(true);
      setError(null);
      try {
        const query = `limit=${ORDERS_PER_PAGE}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`;
        const page = await call<OrderPageView>(session.fetch, `/v1/orders?${query}`);
        if (generation !== current.current) return;
        setOrders((before) => (token ? [...before, ...page.orders] : page.orders));
        setNextToken(page.nextToken);
      } catch (caught) {
        if (generation === current.current) setError(caught);
      } finally {
        if (generation === current.current) setLoading(false);
      }
    },
    [session],
  );

  useEffect(() => {
    current.current += 1;
    setOrders([]);
    setNextToken(null);
    void load(null, current.current);
  }, [load]);

  return {
    orders,
    more: nextToken !== null,
    loading,
    error,
    // After a failed page, "more" asks for the same page again.
    loadMore: () => void load(nextToken, current.current),
  };
}

/** Why an order cannot be returned now, or until when it can: in words, dates as dates. */
export function returnabilityText(order: OrderSummary): string {
  const until = order.returnWindowEndsAt ? formatDate(order.returnWindowEndsAt) : '';
  if (order.returnable) return `Returnable until ${until}.`;
  switch (order.notReturnableReason) {
    case 'not_delivered':
      return 'Cannot be returned yet: it has not been delivered.';
    case 'window_closed':
      return `Cannot be returned: the return window closed on ${until}.`;
    case 'final_sale':
      return 'Cannot be returned: its items are final sale.';
    default:
      return 'Nothing left to return: earlier returns took every item back.';
  }
}

export function OrderPicker(props: {
  readonly pages: OrderPages;
  readonly chosen: string;
  readonly onChoose: (orderId: string) => void;
}) {
  const { pages, chosen, onChoose } = props;
  const list = useRef<HTMLUListElement>(null);
  const shown = useRef(0);
  // When "Show more orders" goes away with the last page, focus moves to the list instead of the page's top.
  // A layout effect, so the focus moves in the same task as the button's removal, not a frame later.
  useLayoutEffect(() => {
    if (shown.current > 0 && pages.orders.length > shown.current && !pages.more) list.current?.focus();
    shown.current = pages.orders.length;
  }, [pages.orders.length, pages.more]);

  return (
    <fieldset class="order-picker">
      <legend>Order</legend>
      {pages.orders.length === 0 && !pages.loading && pages.error === null && (
        <p class="muted">You have no orders yet.</p>
      )}
      {pages.orders.length > 0 && (
        <ul class="list" ref={list} tabIndex={-1} aria-label="Your orders, newest first">
          {pages.orders.map((o) => (
            <li key={o.orderId} data-order-id={o.orderId} data-returnable={String(o.returnable)}>
              <label class="choice">
                <input
                  type="radio"
                  name="return-order"
                  value={o.orderId}
                  checked={chosen === o.orderId}
                  disabled={!o.returnable}
                  onChange={() => onChoose(o.orderId)}
                />
                <span>
                  Order {o.orderId} · placed {formatDate(o.placedAt)} · {formatMoney(o.total, o.currency)}
                  <span class={`block small ${o.returnable ? 'muted' : 'not-returnable'}`}>
                    {returnabilityText(o)}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <p role="status" class="muted small">
        {pages.loading
          ? 'Loading your orders…'
          : pages.orders.length > 0
            ? `${pages.orders.length} orders shown.`
            : ''}
      </p>
      {pages.error !== null && <p role="alert">{errorText(pages.error)}</p>}
      {(pages.more || pages.error !== null) && !pages.loading && (
        <button type="button" class="secondary small" onClick={pages.loadMore}>
          {pages.error !== null ? 'Try again' : 'Show more orders'}
        </button>
      )}
    </fieldset>
  );
}
