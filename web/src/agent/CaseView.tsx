/**
 * One case (GET /v1/agent/cases/{caseId}): the evidence pack, claim, the decision form, and the second agent's
 * confirmation of a decision over the dual-approval threshold.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { call, errorText } from '../lib/api';
import {
  agentName,
  formatDate,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatTotals,
  humanize,
} from '../lib/format';
import type { Session } from '../lib/session';
import type { EvidencePack } from '../lib/types';
import { ChargeTimeline } from './ChargeTimeline';
import { DecisionForm } from './DecisionForm';
import { SecondApproval } from './SecondApproval';

const WAITING = new Set(['awaiting_agent', 'claimed', 'awaiting_second_approval']);

function Markers({ pack }: { pack: EvidencePack }) {
  const on = (['frustrated', 'urgent', 'humanRequested'] as const).filter((m) => pack.markers[m]);
  return (
    <p>
      {on.length === 0
        ? 'No markers'
        : on.map((m) => (
            <span key={m} class="pill marker">
              {m === 'humanRequested' ? 'asked for a person' : m}
            </span>
          ))}
    </p>
  );
}

export function CaseView(props: { session: Session; caseId: string; onBack: () => void }) {
  const { session, caseId } = props;
  const [pack, setPack] = useState<EvidencePack | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [claiming, setClaiming] = useState(false);

  const reload = useCallback(async () => {
    try {
      setPack(await call<EvidencePack>(session.fetch, `/v1/agent/cases/${encodeURIComponent(caseId)}`));
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [session, caseId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  // After a decision that moves on its own (not one waiting for a second agent), the case is re-read until the
  // workflow has carried it out and it leaves the agents' statuses.
  const [following, setFollowing] = useState(false);
  useEffect(() => {
    if (!pack || !following) return;
    if (!WAITING.has(pack.status)) {
      setFollowing(false);
      return;
    }
    const timer = setTimeout(reload, 700);
    return () => clearTimeout(timer);
  }, [pack, following, reload]);

  const claim = async () => {
    setClaiming(true);
    try {
      await call(session.fetch, `/v1/agent/cases/${encodeURIComponent(caseId)}/claim`, { method: 'POST' });
      setNotice('You have claimed this case.');
      await reload();
    } catch (caught) {
      setNotice(errorText(caught));
    } finally {
      setClaiming(false);
    }
  };

  const decided = async (text: string, carriedOut: boolean) => {
    setNotice(text);
    setFollowing(carriedOut);
    await reload();
  };

  if (!pack) return error ? <p role="alert">{errorText(error)}</p> : <p role="status">Loading the case…</p>;
  const waiting = WAITING.has(pack.status);
  const pending = pack.pendingApproval as { agentId?: string; decision?: Record<string, unknown> } | null;
  return (
    <article class="case" aria-labelledby="case-title" data-status={pack.status}>
      <p>
        <button type="button" class="link" onClick={props.onBack}>
          ← Back to the queues
        </button>
      </p>
      <h2 id="case-title">
        Case for {pack.customerId} <span class="muted small">{pack.caseId}</span>
      </h2>
      <div role="status" aria-live="polite" class="notice">
        {notice}
      </div>
      <section class="card" aria-labelledby="summary-title">
        <h3 id="summary-title">Summary</h3>
        <dl class="facts">
          <dt>Status</dt>
          <dd data-testid="case-status">{humanize(pack.status)}</dd>
          <dt>Queue</dt>
          <dd>
            {humanize(pack.queue)} ·{' '}
            <span class={`pill ${pack.priority ?? 'normal'}`}>{pack.priority ?? 'normal'}</span>
          </dd>
          <dt>Waited</dt>
          <dd>{pack.waitedSeconds === null ? '—' : formatDuration(pack.waitedSeconds)}</dd>
          <dt>Escalations</dt>
          <dd>{pack.escalations}</dd>
          <dt>Claimed by</dt>
          <dd>{pack.claimedBy ? agentName(pack.claimedBy) : 'nobody'}</dd>
          <dt>Contact</dt>
          <dd>
            {pack.contact.mode === 'call'
              ? `call ${pack.contact.callbackNumber ?? ''}`
              : 'live chat (no usable number)'}
          </dd>
        </dl>
        <blockquote class="quote">“{pack.message}”</blockquote>
        <p>
          Intent <strong>{humanize(pack.intent)}</strong>
          {pack.confidence !== null ? ` (confidence ${Math.round(pack.confidence * 100)}%)` : ''}
        </p>
        <Markers pack={pack} />
        {waiting && pack.status !== 'awaiting_second_approval' && (
          <button type="button" onClick={claim} disabled={claiming}>
            {pack.claimedBy ? 'Claim again (still on it)' : 'Claim this case'}
          </button>
        )}
      </section>

      <section class="card" aria-labelledby="rule-title">
        <h3 id="rule-title">Rule and receipt</h3>
        <p>
          Rule {pack.rule ?? '—'}: <strong>{humanize(pack.reason)}</strong> → {humanize(pack.outcome)}
        </p>
        {pack.receipt && (
          <details>
            <summary>The receipt: facts and thresholds the decision used</summary>
            <pre class="receipt">
              {JSON.stringify({ facts: pack.receipt.facts, thresholds: pack.receipt.thresholds }, null, 2)}
            </pre>
          </details>
        )}
      </section>

      <section class="card" aria-labelledby="charges-title">
        <h3 id="charges-title">Charges and cancellation</h3>
        <ChargeTimeline entries={pack.charges} />
        {pack.proposedRefund && (
          <p>
            Proposed refund ({humanize(pack.proposedRefund.basis)}):{' '}
            <strong>{formatTotals(pack.proposedRefund.totals)}</strong>
          </p>
        )}
      </section>

      {pack.order && (
        <section class="card" aria-labelledby="order-title">
          <h3 id="order-title">Order {pack.order.orderId}</h3>
          <p>
            {humanize(pack.order.status)} · {formatMoney(pack.order.total, pack.order.currency)} · placed{' '}
            {formatDate(pack.order.placedAt)}
            {pack.order.promisedBy ? ` · promised by ${formatDate(pack.order.promisedBy)}` : ''}
            {pack.order.deliveredAt ? ` · delivered ${formatDate(pack.order.deliveredAt)}` : ''}
          </p>
          {pack.order.carrier && (
            <p>
              {pack.order.carrier} tracking {pack.order.trackingId ?? '—'}
            </p>
          )}
        </section>
      )}

      {pending && pack.status === 'awaiting_second_approval' && (
        <SecondApproval
          session={session}
          caseId={caseId}
          pending={pending}
          me={session.who}
          onDone={decided}
        />
      )}
      {waiting && pack.status !== 'awaiting_second_approval' && (
        <DecisionForm session={session} pack={pack} onDone={decided} />
      )}

      {(pack.refunds.length > 0 || pack.credits.length > 0 || pack.resolution) && (
        <section class="card" aria-labelledby="money-title">
          <h3 id="money-title">Resolution and money</h3>
          {pack.resolution && (
            <p>
              {humanize(String(pack.resolution.decision ?? ''))} by{' '}
              {agentName(String(pack.resolution.decidedBy ?? ''))}
              {pack.resolution.approvedBy
                ? `, approved by ${agentName(String(pack.resolution.approvedBy))}`
                : ''}
            </p>
          )}
          <ul>
            {pack.refunds.map((r) => (
              <li key={r.chargeId}>
                Refund {formatMoney(r.amount, r.currency)} on {r.chargeId}: {r.status}
              </li>
            ))}
            {pack.credits.map((c) => (
              <li key={`${c.currency}:${c.amount}`}>
                Credit {formatMoney(c.amount, c.currency)}: {c.status}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section class="card" aria-labelledby="history-title">
        <h3 id="history-title">History</h3>
        {pack.otherCases.length > 0 && (
          <>
            <h4>The customer's other cases</h4>
            <ul>
              {pack.otherCases.map((c) => (
                <li key={c.caseId}>
                  {formatDate(c.createdAt)}: {humanize(c.intent)} → {humanize(c.outcome)}
                  {c.refundedTotals.length > 0 ? ` (refunded ${formatTotals(c.refundedTotals)})` : ''}
                </li>
              ))}
            </ul>
          </>
        )}
        <h4>This case</h4>
        <ol class="steps">
          {pack.timeline.map((t) => (
            <li key={`${t.at}:${t.step}`}>
              <time dateTime={t.at}>{formatDateTime(t.at)}</time> {humanize(t.step)}
              {t.detail ? `: ${t.detail}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
