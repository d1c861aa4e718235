/** The side panels: the message center and the customer's past cases (returns have their own card, Returns.tsx). */
import { call, errorText } from '../lib/api';
import { formatDateTime, formatTotals, humanize } from '../lib/format';
import type { Session } from '../lib/session';
import type { CaseSummary, MessageItem } from '../lib/types';
import { useAsync } from '../lib/use-async';

export function MessageCenter({ session, revision }: { session: Session; revision: number }) {
  const loaded = useAsync(
    () => call<{ messages: MessageItem[] }>(session.fetch, '/v1/messages?limit=20'),
    [session, revision],
  );
  return (
    <section aria-labelledby="messages-title" class="card">
      <h2 id="messages-title">Message center</h2>
      {loaded.state === 'failed' && <p role="alert">{errorText(loaded.error)}</p>}
      {loaded.state === 'ready' &&
        (loaded.value.messages.length === 0 ? (
          <p class="muted">No messages yet.</p>
        ) : (
          <ul class="list">
            {loaded.value.messages.map((m) => (
              <li key={`${m.caseId}:${m.sentAt}:${m.subject}`}>
                <p class="subject">{m.subject}</p>
                <p>{m.body}</p>
                <p class="muted small">
                  <time dateTime={m.sentAt}>{formatDateTime(m.sentAt)}</time>
                </p>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

export function PastCases({ session, revision }: { session: Session; revision: number }) {
  const loaded = useAsync(
    () => call<{ cases: CaseSummary[] }>(session.fetch, '/v1/support-requests?limit=10'),
    [session, revision],
  );
  return (
    <section aria-labelledby="cases-title" class="card">
      <h2 id="cases-title">Your requests</h2>
      {loaded.state === 'failed' && <p role="alert">{errorText(loaded.error)}</p>}
      {loaded.state === 'ready' &&
        (loaded.value.cases.length === 0 ? (
          <p class="muted">No requests yet.</p>
        ) : (
          <ul class="list">
            {loaded.value.cases.map((c) => (
              <li key={c.caseId}>
                <p>“{c.message}”</p>
                <p class="muted small">
                  <time dateTime={c.createdAt}>{formatDateTime(c.createdAt)}</time> · {humanize(c.status)}
                  {c.outcome ? ` · ${humanize(c.outcome)}` : ''}
                  {c.refundedTotals.length > 0 ? ` · refunded ${formatTotals(c.refundedTotals)}` : ''}
                </p>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
