/**
 * The chat itself. State lives here: the conversation (what the customer sent, and each case it opened) and a
 * revision that the side panels reload on. Every send is a POST /v1/support-requests with its own Idempotency-Key.
 */
import { useCallback, useRef, useState } from 'preact/hooks';
import { call, errorText, idempotencyKey } from '../lib/api';
import type { Session } from '../lib/session';
import type { CaseView, Suggestion } from '../lib/types';
import { CallMeNow } from './CallMeNow';
import { CaseAnswer } from './CaseAnswer';
import { MessageCenter, PastCases } from './Panels';
import { ReturnsCard } from './Returns';
import { Suggestions } from './Suggestions';

export type Entry =
  | { readonly kind: 'sent'; readonly id: string; readonly text: string }
  | { readonly kind: 'case'; readonly id: string; readonly caseId: string }
  | { readonly kind: 'error'; readonly id: string; readonly text: string };

export const TALK_TO_A_PERSON = 'Talk to a representative';

export function Chat({ session }: { session: Session }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [revision, setRevision] = useState(0);
  const [latest, setLatest] = useState<CaseView | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const bump = useCallback(() => setRevision((r) => r + 1), []);

  const add = (entry: Entry) => setEntries((list) => [...list, entry]);

  /** Sends one support request (a typed message, a suggestion's body, a callback request) and follows its case. */
  const send = async (text: string, body: Record<string, unknown>) => {
    setSending(true);
    add({ kind: 'sent', id: idempotencyKey(), text });
    try {
      const answer = await call<{ caseId: string }>(session.fetch, '/v1/support-requests', {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': idempotencyKey() },
      });
      add({ kind: 'case', id: answer.caseId, caseId: answer.caseId });
      bump();
      return answer.caseId;
    } catch (error) {
      add({ kind: 'error', id: idempotencyKey(), text: errorText(error) });
      return null;
    } finally {
      setSending(false);
    }
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const message = draft.trim();
    if (!message || sending) return;
    setDraft('');
    await send(message, { message });
    input.current?.focus();
  };

  const onSuggestion = async (suggestion: Suggestion) => {
    const message =
      typeof suggestion.action.body.message === 'string' ? suggestion.action.body.message : suggestion.text;
    await send(message, suggestion.action.body);
  };

  const onCaseChange = useCallback(
    (view: CaseView) => {
      setLatest((current) =>
        !current || current.caseId === view.caseId || view.createdAt >= current.createdAt ? view : current,
      );
      bump();
    },
    [bump],
  );

  return (
    <div class="layout">
      <header class="top">
        <h1>Refund Hub help</h1>
        {session.who && <p class="muted">Signed in as {session.who}</p>}
      </header>
      <main id="main" class="chat">
        <Suggestions session={session} revision={revision} onPick={onSuggestion} disabled={sending} />
        <section aria-labelledby="conversation-title" class="card">
          <h2 id="conversation-title">Live chat</h2>
          <div class="log" role="log" aria-live="polite" aria-label="Conversation">
            <ol class="log-items">
              <li class="bubble them">Hi! Tell us what went wrong, or tap a suggestion if one fits.</li>
              {entries.map((entry) =>
                entry.kind === 'sent' ? (
                  <li key={entry.id} class="bubble me">
                    <span class="sr-only">You: </span>
                    {entry.text}
                  </li>
                ) : entry.kind === 'error' ? (
                  <li key={entry.id} class="bubble error" role="alert">
                    {entry.text}
                  </li>
                ) : (
                  <li key={entry.id} class="bubble them">
                    <CaseAnswer session={session} caseId={entry.caseId} onChange={onCaseChange} />
                  </li>
                ),
              )}
            </ol>
          </div>
          <form class="composer" onSubmit={onSubmit}>
            <label for="message">Your message</label>
            <div class="row">
              <textarea
                id="message"
                ref={input}
                rows={2}
                maxLength={2000}
                value={draft}
                onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
                onKeyDown={(e) => {
                  // Enter sends, Shift+Enter is a new line: what chat users expect.
                  if (e.key === 'Enter' && !e.shiftKey) {
                    e.preventDefault();
                    (e.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
                  }
                }}
              />
              <button type="submit" disabled={sending || draft.trim() === ''}>
                Send
              </button>
            </div>
          </form>
          <button
            type="button"
            class="secondary"
            disabled={sending}
            onClick={() => send(TALK_TO_A_PERSON, { message: TALK_TO_A_PERSON })}
          >
            Talk to a representative
          </button>
        </section>
        <ReturnsCard session={session} revision={revision} onChange={bump} />
        <CallMeNow session={session} latest={latest} onStarted={bump} />
      </main>
      <aside class="side" aria-label="Your account">
        <MessageCenter session={session} revision={revision} />
        <PastCases session={session} revision={revision} />
      </aside>
    </div>
  );
}
