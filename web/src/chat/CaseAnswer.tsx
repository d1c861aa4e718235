/**
 * One case in the conversation: polls GET /v1/support-requests/{id} with back-off until the workflow has decided and
 * every refund is settled, and shows the case's own messages (the message center's, in the words the API wrote).
 */
import { call, errorText } from '../lib/api';
import { formatMoney } from '../lib/format';
import type { Session } from '../lib/session';
import type { CaseView, MessageItem } from '../lib/types';
import { usePolled } from '../lib/use-polled';

const FIRST_POLL_MS = 300;
const MAX_POLL_MS = 4000;

const STATUS_WORDS: Record<CaseView['status'], string> = {
  received: 'Looking into it…',
  awaiting_agent: 'A person has your request and will contact you.',
  claimed: 'A person is working on your request now.',
  awaiting_second_approval: 'A second person is checking the decision.',
  resolved: 'Done.',
  needs_attention: 'This is taking longer than it should: a person will follow up.',
};

const REFUND_WORDS: Record<string, string> = {
  pending: 'pending: on its way to your card',
  succeeded: 'succeeded: the money is back on your card',
  failed: 'failed: a billing specialist will contact you',
};

const isOpen = (view: CaseView) => view.status !== 'resolved' && view.status !== 'needs_attention';
const moneyPending = (view: CaseView) =>
  view.refunds.some((r) => r.status === 'pending') || view.credits.some((c) => c.status === 'pending');

/** A change the customer would notice: a new status, step, message or refund status. */
const fingerprint = (view: CaseView, messages: readonly MessageItem[]) =>
  JSON.stringify([
    view.status,
    view.updatedAt,
    view.refunds.map((r) => r.status),
    view.credits.map((c) => c.status),
    messages.length,
  ]);

export function CaseAnswer(props: { session: Session; caseId: string; onChange: (view: CaseView) => void }) {
  const { session, caseId, onChange } = props;
  const { value, error } = usePolled(
    async () => {
      const view = await call<CaseView>(session.fetch, `/v1/support-requests/${encodeURIComponent(caseId)}`);
      const inbox = await call<{ messages: MessageItem[] }>(session.fetch, '/v1/messages?limit=50');
      return { view, messages: inbox.messages.filter((m) => m.caseId === caseId).reverse() };
    },
    {
      firstMs: FIRST_POLL_MS,
      maxMs: MAX_POLL_MS,
      fingerprint: ({ view, messages }) => fingerprint(view, messages),
      onChange: ({ view }) => onChange(view),
      // Settled: decided, no money still moving, and its message is in. A person's case keeps being watched.
      settled: ({ view, messages }) => !isOpen(view) && !moneyPending(view) && messages.length > 0,
    },
    [session, caseId, onChange],
  );
  const view = value?.view;
  const messages = value?.messages ?? [];

  if (!view) return error ? <p role="alert">{errorText(error)}</p> : <p>Looking into it…</p>;
  return (
    <div class="answer" data-case-id={caseId} data-status={view.status}>
      {messages.length === 0 ? (
        <p>{STATUS_WORDS[view.status]}</p>
      ) : (
        messages.map((m) => (
          <div key={`${m.sentAt}:${m.subject}`} class="message">
            <p class="subject">{m.subject}</p>
            <p>{m.body}</p>
          </div>
        ))
      )}
      {messages.length > 0 && isOpen(view) && <p class="muted">{STATUS_WORDS[view.status]}</p>}
      {typeof view.estimatedWaitMinutes === 'number' && isOpen(view) && (
        <p>Estimated wait: about {view.estimatedWaitMinutes} minutes.</p>
      )}
      {view.refunds.length > 0 && (
        <ul class="refunds" aria-label="Refunds">
          {view.refunds.map((r) => (
            <li key={r.chargeId} data-refund-status={r.status}>
              Refund of {formatMoney(r.amount, r.currency)}: {REFUND_WORDS[r.status] ?? r.status}
            </li>
          ))}
        </ul>
      )}
      {view.credits.map((c) => (
        <p key={`${c.currency}:${c.amount}`} data-credit-status={c.status}>
          Credit of {formatMoney(c.amount, c.currency)}: {c.status}
        </p>
      ))}
      {view.callbackOffered && !isOpen(view) && (
        <p class="muted">Want to talk it through? Use “Call Me Now” below.</p>
      )}
      {error !== null && <p class="muted">Reconnecting… ({errorText(error)})</p>}
    </div>
  );
}
