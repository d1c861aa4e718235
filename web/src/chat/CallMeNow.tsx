/**
 * "Call Me Now": a country and a number, accepted only as E.164 (a bad one gets an inline error and nothing is sent).
 * On a case the assistant answered it asks for a callback on that case; otherwise it opens a request for a person
 * with the number. Then it follows the callback: the estimated wait, and who has it.
 */
import { useState } from 'preact/hooks';
import { call, errorText, idempotencyKey } from '../lib/api';
import { humanize } from '../lib/format';
import { COUNTRIES, type CountryCode, toE164 } from '../lib/phone';
import type { Session } from '../lib/session';
import type { CaseView } from '../lib/types';
import { usePolled } from '../lib/use-polled';

const AI_ANSWERED = new Set(['no_refund_due', 'self_service', 'auto_refunded']);
const CALL_ME_MESSAGE = 'Please call me, I would like to talk to a representative.';

const CALLBACK_WORDS: Record<CaseView['status'], string> = {
  received: 'Your callback request is being passed on…',
  awaiting_agent: 'Waiting for the next free person to call you.',
  claimed: 'A person has picked up your callback and will call you now.',
  awaiting_second_approval: 'A person spoke with you; a second person is checking the decision.',
  resolved: 'Your callback is done.',
  needs_attention: 'Your callback is delayed: we are on it.',
};

function CallbackState({ session, caseId }: { session: Session; caseId: string }) {
  // Watched while shown, slowing down to every 4 s: a person may pick it up at any time. A missed poll is retried.
  const { value: view } = usePolled(
    () => call<CaseView>(session.fetch, `/v1/support-requests/${encodeURIComponent(caseId)}`),
    { firstMs: 300, maxMs: 4000 },
    [session, caseId],
  );
  if (!view) return <p>Requesting your callback…</p>;
  const team = view.callback?.queue ?? view.handoffQueue;
  return (
    <div class="callback-state" data-callback-status={view.status}>
      <p>
        <strong>Callback requested.</strong> {CALLBACK_WORDS[view.status]}
      </p>
      {team && <p class="muted">Team: {humanize(team)}</p>}
      {typeof view.estimatedWaitMinutes === 'number' && view.status === 'awaiting_agent' && (
        <p>Estimated wait: about {view.estimatedWaitMinutes} minutes.</p>
      )}
    </div>
  );
}

export function CallMeNow(props: { session: Session; latest: CaseView | null; onStarted: () => void }) {
  const [country, setCountry] = useState<CountryCode>('US');
  const [typed, setTyped] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [callbackCase, setCallbackCase] = useState<string | null>(null);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const checked = toE164(country, typed);
    if (!checked.ok) {
      setInvalid(checked.error);
      (document.getElementById('callback-number') as HTMLInputElement | null)?.focus();
      return;
    }
    setInvalid(null);
    setFailure(null);
    setSending(true);
    try {
      const latest = props.latest;
      if (latest && latest.status === 'resolved' && latest.outcome && AI_ANSWERED.has(latest.outcome)) {
        await call(
          props.session.fetch,
          `/v1/support-requests/${encodeURIComponent(latest.caseId)}/callback`,
          {
            method: 'POST',
            body: { phoneNumber: checked.number },
          },
        );
        setCallbackCase(latest.caseId);
      } else {
        const answer = await call<{ caseId: string }>(props.session.fetch, '/v1/support-requests', {
          method: 'POST',
          body: { message: CALL_ME_MESSAGE, callbackPhone: checked.number },
          headers: { 'Idempotency-Key': idempotencyKey() },
        });
        setCallbackCase(answer.caseId);
      }
      props.onStarted();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="callback-title" class="card">
      <h2 id="callback-title">Call Me Now</h2>
      {callbackCase ? (
        <div role="status" aria-live="polite">
          <CallbackState session={props.session} caseId={callbackCase} />
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <p class="muted">A person calls you back. We need a number with its country.</p>
          <div class="row wrap">
            <div class="field">
              <label for="callback-country">Country</label>
              <select
                id="callback-country"
                value={country}
                onChange={(e) => setCountry((e.target as HTMLSelectElement).value as CountryCode)}
              >
                {COUNTRIES.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name} (+{c.dial})
                  </option>
                ))}
              </select>
            </div>
            <div class="field grow">
              <label for="callback-number">Phone number</label>
              <input
                id="callback-number"
                type="tel"
                autocomplete="tel-national"
                inputMode="tel"
                value={typed}
                aria-invalid={invalid ? 'true' : 'false'}
                aria-describedby={invalid ? 'callback-error' : undefined}
                onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
              />
            </div>
          </div>
          {invalid && (
            <p id="callback-error" class="field-error" role="alert">
              {invalid}
            </p>
          )}
          {failure && <p role="alert">{failure}</p>}
          <button type="submit" disabled={sending}>
            Call me now
          </button>
        </form>
      )}
    </section>
  );
}
