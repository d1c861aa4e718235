/** What the customer is told after an agent resolves a handed-off case, or when it stalls. Pure. */
import { formatMoney } from '../shared/money.js';

export interface AgentResolution {
  readonly decision: 'approve_refund' | 'goodwill_credit' | 'deny';
  readonly amount?: number | null;
  readonly currency?: string | null;
  readonly note?: string | null;
  readonly agentId?: string | null;
}

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
        body: `A specialist approved a refund of ${formatMoney(refundedAmount, currency)}. It reaches your original payment method in 3-5 business days.`,
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
        body: `A specialist added a goodwill credit of ${formatMoney(resolution.amount ?? 0, currency)} to your account.`,
      };
    default:
      return {
        subject: 'About your request',
        body: `A specialist reviewed your request and could not approve a refund.${resolution.note ? ` ${resolution.note}` : ''}`,
      };
  }
}

export const NEEDS_ATTENTION_MESSAGE = {
  subject: 'We are still on it',
  body: 'Our specialists have not reached you yet. Your case has been escalated and a supervisor will contact you.',
};
