/** What the customer reads about a refund the payment provider settled. Pure. */
import { formatMoney } from './money.js';
import type { MinorUnits } from './types.js';

interface RefundAmount {
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly failureReason?: string;
}

/** The provider's failure reason in the customer's words. Pure. */
export function failureInWords(reason: string | undefined): string {
  switch (reason) {
    case 'expired_or_canceled_card':
      return 'the card it was going back to is closed or has expired';
    case 'lost_or_stolen_card':
      return 'the card it was going back to was reported lost or stolen';
    case 'charge_disputed':
      return 'the charge is being disputed with your bank, which handles it from here';
    case 'balance_insufficient':
    case 'insufficient_funds':
      return 'our payment account could not cover it at that moment';
    case 'amount_too_large':
    case 'charge_already_refunded':
      return 'the charge had already been refunded, in part or in full, another way';
    case 'charge_expired_for_refund':
      return 'the charge is too old to be refunded to the card';
    default:
      return 'the payment provider could not complete it';
  }
}

/** The message a failed refund sends. Pure. */
export function refundFailedMessage(refund: RefundAmount) {
  return {
    subject: 'Your refund could not be completed',
    body:
      `We tried to refund ${formatMoney(refund.amount, refund.currency)} to your original payment method, but ${failureInWords(refund.failureReason)}. ` +
      'A billing specialist will contact you to pay it another way; you do not need to do anything.',
  };
}

/** The message a confirmed refund sends. Pure. */
export function refundConfirmedMessage(refund: RefundAmount) {
  return {
    subject: 'Your refund is confirmed',
    body: `The payment provider confirmed your refund of ${formatMoney(refund.amount, refund.currency)}. It reaches your original payment method in 3-5 business days.`,
  };
}
