/** Dual approval: a decision over the threshold waits for a second, different agent (the first one cannot confirm). */
import { useState } from 'preact/hooks';
import { call, errorText } from '../lib/api';
import { agentName, formatMoney, humanize } from '../lib/format';
import type { Session } from '../lib/session';

export function SecondApproval(props: {
  session: Session;
  caseId: string;
  pending: { agentId?: string; decision?: Record<string, unknown> };
  me: string | null;
  onDone: (notice: string, carriedOut: boolean) => void;
}) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const decision = props.pending.decision ?? {};
  const amount =
    typeof decision.amount === 'number' && typeof decision.currency === 'string'
      ? formatMoney(decision.amount, decision.currency)
      : '';
  // The API names agents by their IAM principal; locally the console knows the agent's own name.
  const own = props.me !== null && agentName(props.pending.agentId) === props.me;

  const confirm = async (event: Event) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      await call(props.session.fetch, `/v1/agent/cases/${encodeURIComponent(props.caseId)}/approvals`, {
        method: 'POST',
        body: note.trim() ? { note: note.trim() } : {},
      });
      props.onDone('Confirmed: the decision goes ahead and the money moves once.', true);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setSending(false);
    }
  };

  return (
    <section class="card approval" aria-labelledby="approval-title">
      <h3 id="approval-title">Waiting for a second agent</h3>
      <p>
        {props.pending.agentId ? agentName(props.pending.agentId) : 'An agent'} decided{' '}
        <strong>{humanize(String(decision.decision ?? ''))}</strong>
        {amount ? ` of ${amount}` : ''}: over the dual-approval threshold, so no money moves until a different
        agent confirms.
      </p>
      {own ? (
        <p class="muted">You made this decision: another agent confirms it.</p>
      ) : (
        <form onSubmit={confirm}>
          <label for="approval-note">Your note (internal, optional)</label>
          <textarea
            id="approval-note"
            rows={2}
            value={note}
            onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
          />
          {error && <p role="alert">{error}</p>}
          <button type="submit" disabled={sending}>
            Confirm the decision
          </button>
        </form>
      )}
    </section>
  );
}
