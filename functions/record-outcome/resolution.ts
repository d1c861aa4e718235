/** What the customer is told after an agent resolves a handed-off case, or when it stalls. Pure. */
import { formatMoney } from '../shared/money.js';

export interface AgentResolution {
  readonly decision: 'approve_refund' | 'goodwill_credit' | 'deny';
  readonly amount?: number | null;
  readonly currency?: string | null;
  readonly note?: string | null;
  readonly agentId?: string | null;
}

export function resolutionMessage(resolution: AgentResolution, refundedAmount: number) {
  const currency = resolution.currency ?? 'USD';
  switch (resolution.decision) {
    case 'approve_refund':
      return {
        subject: 'Your refund was approved',
        body: `A specialist approved a refund of ${formatMoney(refundedAmount, currency)}. It reaches your original payment method in 3-5 business days.`,
      };
    case 'goodwill_credit':
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
