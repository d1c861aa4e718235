/**
 * The decision (POST /v1/agent/cases/{caseId}/resolution): which charges to refund and how much of each (at most its
 * remainder), a goodwill credit up to the cap, or deny/resolve with words for the customer. The customer's message and
 * the internal note are two fields, labelled as such: the note never reaches the customer.
 */
import { useState } from 'preact/hooks';
import { call, errorText } from '../lib/api';
import { FormProblems, MessageAndNote } from '../lib/form-parts';
import { formatDate, formatMoney, minorToInput, parseMoney } from '../lib/format';
import type { Session } from '../lib/session';
import type { AgentDecision, ChargeRow, EvidencePack, ResolutionRequest } from '../lib/types';

const DECISIONS: Record<AgentDecision, { label: string; hint: string }> = {
  approve_refund: {
    label: 'Approve a refund',
    hint: 'Refund the charges ticked below, each at most its remainder.',
  },
  goodwill_credit: { label: 'Goodwill credit', hint: 'A credit on the account, up to the goodwill cap.' },
  deny: { label: 'Deny', hint: 'No money; tell the customer why.' },
  resolve: {
    label: 'Resolve (handled)',
    hint: 'No money; the matter was handled (account secured, question answered).',
  },
};

interface ChargeChoice {
  readonly picked: boolean;
  readonly amount: string;
}

export function DecisionForm(props: {
  session: Session;
  pack: EvidencePack;
  onDone: (notice: string, carriedOut: boolean) => void;
}) {
  const { pack } = props;
  const refundable = pack.charges.filter((e): e is ChargeRow => e.type === 'charge' && e.remainder > 0);
  const proposed = new Set(pack.proposedRefund?.charges.map((c) => c.chargeId) ?? []);
  const caseCurrency =
    pack.proposedRefund?.charges[0]?.currency ?? pack.order?.currency ?? refundable[0]?.currency ?? 'USD';
  const cap = pack.receipt?.thresholds?.goodwillCapMinor;

  const [decision, setDecision] = useState<AgentDecision>(proposed.size > 0 ? 'approve_refund' : 'resolve');
  const [choices, setChoices] = useState<Record<string, ChargeChoice>>(() =>
    Object.fromEntries(
      refundable.map((c) => [
        c.chargeId,
        { picked: proposed.has(c.chargeId), amount: minorToInput(c.remainder, c.currency) },
      ]),
    ),
  );
  const [goodwill, setGoodwill] = useState('');
  const [customerMessage, setCustomerMessage] = useState('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [sending, setSending] = useState(false);

  const setChoice = (chargeId: string, change: Partial<ChargeChoice>) =>
    setChoices((all) => ({ ...all, [chargeId]: { ...(all[chargeId] as ChargeChoice), ...change } }));

  /** The request body, or what to change first (nothing is sent until it is right). */
  const build = (): { body: ResolutionRequest } | { problems: string[] } => {
    const found: string[] = [];
    if (!note.trim()) found.push('Write the internal note (agents only).');
    if ((decision === 'deny' || decision === 'resolve') && !customerMessage.trim())
      found.push('Write the message to the customer: they read it.');
    const message = customerMessage.trim() ? { customerMessage: customerMessage.trim() } : {};
    if (decision === 'approve_refund') {
      const charges: { chargeId: string; amount: number }[] = [];
      for (const charge of refundable) {
        const choice = choices[charge.chargeId];
        if (!choice?.picked) continue;
        const amount = parseMoney(choice.amount, charge.currency);
        if (amount === null || amount <= 0) found.push(`The amount for ${charge.chargeId} is not an amount.`);
        else if (amount > charge.remainder)
          found.push(
            `${charge.chargeId}: at most its remainder, ${formatMoney(charge.remainder, charge.currency)}.`,
          );
        else charges.push({ chargeId: charge.chargeId, amount });
      }
      if (charges.length === 0 && found.length === 0) found.push('Tick at least one charge to refund.');
      const currencies = new Set(
        refundable.filter((c) => choices[c.chargeId]?.picked).map((c) => c.currency),
      );
      if (currencies.size > 1) found.push('One currency per refund: tick charges of one currency.');
      return found.length > 0
        ? { problems: found }
        : { body: { decision, charges, note: note.trim(), ...message } };
    }
    if (decision === 'goodwill_credit') {
      const amount = parseMoney(goodwill, caseCurrency);
      if (amount === null || amount <= 0) found.push(`Give the credit's amount in ${caseCurrency}.`);
      else if (typeof cap === 'number' && amount > cap)
        found.push(`At most the goodwill cap, ${formatMoney(cap, caseCurrency)}.`);
      return found.length > 0 || amount === null
        ? { problems: found }
        : { body: { decision, amount, currency: caseCurrency, note: note.trim(), ...message } };
    }
    return found.length > 0 ? { problems: found } : { body: { decision, note: note.trim(), ...message } };
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const built = build();
    if ('problems' in built) {
      setProblems(built.problems);
      return;
    }
    setProblems([]);
    setSending(true);
    try {
      const answer = await call<{ status: string; amount: number; currency: string }>(
        props.session.fetch,
        `/v1/agent/cases/${encodeURIComponent(pack.caseId)}/resolution`,
        { method: 'POST', body: built.body },
      );
      const waits = answer.status === 'awaiting_second_approval';
      props.onDone(
        waits
          ? `Over the dual-approval threshold: ${formatMoney(answer.amount, answer.currency)} waits for a second agent to confirm.`
          : 'Decided: the workflow carries it out and the customer is told.',
        !waits,
      );
    } catch (caught) {
      setProblems([errorText(caught)]);
    } finally {
      setSending(false);
    }
  };

  return (
    <section class="card decision" aria-labelledby="decision-title">
      <h3 id="decision-title">Decide</h3>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>Decision</legend>
          {(Object.keys(DECISIONS) as AgentDecision[]).map((d) => (
            <label key={d} class="choice">
              <input
                type="radio"
                name="decision"
                value={d}
                checked={decision === d}
                onChange={() => setDecision(d)}
              />
              <span>
                {DECISIONS[d].label} <span class="muted small">{DECISIONS[d].hint}</span>
              </span>
            </label>
          ))}
        </fieldset>

        {decision === 'approve_refund' && (
          <fieldset>
            <legend>Charges to refund</legend>
            {refundable.length === 0 && <p class="muted">No charge has anything left to refund.</p>}
            {refundable.map((c) => {
              const choice = choices[c.chargeId] as ChargeChoice;
              return (
                <div key={c.chargeId} class="charge-choice">
                  <label class="choice">
                    <input
                      type="checkbox"
                      checked={choice.picked}
                      onChange={(e) =>
                        setChoice(c.chargeId, { picked: (e.target as HTMLInputElement).checked })
                      }
                    />
                    <span>
                      {c.chargeId}: {formatMoney(c.amount, c.currency)} on {formatDate(c.chargedAt)}
                      {c.isBillingError ? ' (billing error)' : ''} · remainder{' '}
                      {formatMoney(c.remainder, c.currency)}
                    </span>
                  </label>
                  <label class="amount">
                    <span>
                      Amount for {c.chargeId} ({c.currency})
                    </span>
                    <input
                      type="text"
                      inputMode="decimal"
                      value={choice.amount}
                      disabled={!choice.picked}
                      onInput={(e) => setChoice(c.chargeId, { amount: (e.target as HTMLInputElement).value })}
                    />
                  </label>
                </div>
              );
            })}
          </fieldset>
        )}

        {decision === 'goodwill_credit' && (
          <label class="field">
            <span>
              Credit amount ({caseCurrency})
              {typeof cap === 'number' ? `, up to ${formatMoney(cap, caseCurrency)}` : ''}
            </span>
            <input
              type="text"
              inputMode="decimal"
              value={goodwill}
              onInput={(e) => setGoodwill((e.target as HTMLInputElement).value)}
            />
          </label>
        )}

        <MessageAndNote
          messageLabel={`Message to the customer${decision === 'deny' || decision === 'resolve' ? ' (required)' : ' (optional)'}`}
          customerMessage={customerMessage}
          onCustomerMessage={setCustomerMessage}
          note={note}
          onNote={setNote}
        />
        <FormProblems problems={problems} />
        <button type="submit" disabled={sending}>
          Send the decision
        </button>
      </form>
    </section>
  );
}
