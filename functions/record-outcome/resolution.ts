/** What the customer is told after an agent resolves a handed-off case, or when it stalls. Pure. */
import { customerDate, formatMoney } from '../shared/answers/words.js';

export interface AgentResolution {
  readonly decision: 'approve_refund' | 'goodwill_credit' | 'deny' | 'resolve';
  readonly amount?: number | null;
  readonly currency?: string | null;
  /** Internal (for agents): never part of a message to the customer. */
  readonly note?: string | null;
  /** What the agent wrote for the customer. */
  readonly customerMessage?: string | null;
  readonly agentId?: string | null;
  readonly charges?:
    | readonly { readonly chargeId: string; readonly amount: number; readonly chargedAt?: string | null }[]
    | null;
}

/** A charge's date as the customer knows it ("Mar 15, 2026", the one customer date format): never its id. */
export const dateInWords = customerDate;

/** "for your charge of Mar 15, 2026" / "for your charges of Mar 15, 2026 and Apr 15, 2026": the refunded charges by date. */
function chargesInWords(resolution: AgentResolution): string {
  const dates = [
    ...new Set(
      (resolution.charges ?? [])
        .filter((c) => c.chargedAt)
        .sort((a, b) => Date.parse(a.chargedAt ?? '') - Date.parse(b.chargedAt ?? ''))
        .map((c) => dateInWords(c.chargedAt ?? '')),
    ),
  ];
  if (dates.length === 0) return '';
  const listed = dates.length === 1 ? dates[0] : `${dates.slice(0, -1).join(', ')} and ${dates.at(-1)}`;
  return ` for your charge${dates.length > 1 ? 's' : ''} of ${listed}`;
}

const withMessage = (body: string, resolution: AgentResolution) =>
  resolution.customerMessage?.trim() ? `${body} ${resolution.customerMessage.trim()}` : body;

/** `refundedAmount` is what the agent's refund actually paid, in the resolution's currency. */
export function resolutionMessage(
  resolution: AgentResolution,
  refundedAmount: number,
  creditStatus?: 'pending' | 'succeeded' | 'failed',
) {
  const currency = resolution.currency ?? 'USD';
  switch (resolution.decision) {
    case 'approve_refund':
      // Another case's refund got there first (two approvals of one charge): never "a refund of $0.00".
      if (refundedAmount <= 0) {
        return {
          subject: 'About your refund',
          body: 'A specialist approved a refund, but nothing was left to refund: these charges had already been refunded in full. No further money will reach your payment method for them.',
        };
      }
      return {
        subject: 'Your refund was approved',
        body: withMessage(
          `A specialist approved a refund of ${formatMoney(refundedAmount, currency)}${chargesInWords(resolution)}. ` +
            'It reaches your original payment method in 3-5 business days.',
          resolution,
        ),
      };
    case 'goodwill_credit':
      if (creditStatus === 'failed') {
        return {
          subject: 'About your goodwill credit',
          body:
            `A specialist approved a goodwill credit of ${formatMoney(resolution.amount ?? 0, currency)}, but our payment provider could not book it. ` +
            'A billing specialist will contact you to arrange it another way.',
        };
      }
      return {
        subject: 'A goodwill credit for you',
        body: withMessage(
          `A specialist added a goodwill credit of ${formatMoney(resolution.amount ?? 0, currency)} to your account.`,
          resolution,
        ),
      };
    case 'resolve':
      return {
        subject: 'Your request was handled',
        body: withMessage('A specialist handled your request.', resolution),
      };
    default:
      return {
        subject: 'About your request',
        body: withMessage('A specialist reviewed your request and could not approve a refund.', resolution),
      };
  }
}

export const NEEDS_ATTENTION_MESSAGE = {
  subject: 'We are still on it',
  body: 'Our specialists have not reached you yet. Your case has been escalated and a supervisor will contact you.',
};
