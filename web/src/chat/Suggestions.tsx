/** POLICY v2 "Suggestions": what the customer probably wants, from their account; one tap sends its action. */
import { call, errorText } from '../lib/api';
import type { Session } from '../lib/session';
import type { Suggestion } from '../lib/types';
import { useAsync } from '../lib/use-async';

export function Suggestions(props: {
  session: Session;
  revision: number;
  disabled: boolean;
  onPick: (suggestion: Suggestion) => void;
}) {
  const loaded = useAsync(
    () => call<{ suggestions: Suggestion[] }>(props.session.fetch, '/v1/help/suggestions'),
    [props.session, props.revision],
  );
  if (loaded.state === 'failed')
    return (
      <p class="muted" role="status">
        Suggestions are not available: {errorText(loaded.error)}
      </p>
    );
  // Only what acts through a support request here; returns start from the Returns card (Returns.tsx).
  const suggestions =
    loaded.state === 'ready'
      ? loaded.value.suggestions.filter((s) => s.action.path === '/v1/support-requests')
      : [];
  if (suggestions.length === 0) return null;
  return (
    <section aria-labelledby="suggestions-title" class="card suggestions">
      <h2 id="suggestions-title">Suggested for you</h2>
      <ul>
        {suggestions.map((s) => (
          <li key={`${s.kind}:${s.text}`}>
            <button
              type="button"
              class="suggestion"
              disabled={props.disabled}
              onClick={() => props.onPick(s)}
            >
              {s.text}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
