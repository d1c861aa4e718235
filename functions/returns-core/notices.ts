/** What the customer reads in the message center at each step of a return: their order, their money, dates as dates. */
import { formatMoney } from '../shared/money.js';
import type { ReturnRejection } from '../shared/return-eligibility.js';
import { utcDateInWords } from '../shared/utc-date.js';
import type { RefundPolicy, ReturnRecord } from './domain.js';
import type { ReturnNotice } from './store.js';

export const dateInWords = (instant: string) => utcDateInWords(new Date(instant));

type Subject = Pick<ReturnRecord, 'orderId' | 'refundAmount' | 'currency' | 'refundPolicy'>;

const REJECTIONS: Readonly<Record<ReturnRejection, string>> = {
  not_delivered: 'the order has not been delivered yet, so there is nothing to send back',
  window_closed: 'the return window of the order has closed',
  final_sale: 'a final-sale item cannot be returned',
  quantity: 'the quantities are more than what is left to return on the order',
};

export function rejectionInWords(reason: ReturnRejection): string {
  return REJECTIONS[reason];
}

function whenRefunded(policy: RefundPolicy): string {
  return policy === 'refund_at_first_scan'
    ? 'We refund you as soon as the carrier first scans the package.'
    : 'We refund you once the package reaches our warehouse and has been inspected.';
}

export function labelCreatedNotice(
  r: Subject,
  label: { trackingId: string; labelUrl: string; expiresAt: string },
): ReturnNotice {
  return {
    subject: `Your return label for order ${r.orderId}`,
    body:
      `Print your prepaid label (${label.labelUrl}, tracking ${label.trackingId}) and drop the package off by ` +
      `${dateInWords(label.expiresAt)}. ${whenRefunded(r.refundPolicy)} Refund: ${formatMoney(r.refundAmount, r.currency)}.`,
  };
}

export function inTransitNotice(r: Subject): ReturnNotice {
  return {
    subject: `Your return for order ${r.orderId} is on its way`,
    body: `The carrier has scanned your package. ${whenRefunded(r.refundPolicy)}`,
  };
}

export function awaitingInspectionNotice(r: Subject): ReturnNotice {
  return {
    subject: `Your return for order ${r.orderId} arrived`,
    body: `Your package reached our warehouse. We inspect it and refund ${formatMoney(r.refundAmount, r.currency)} once it passes.`,
  };
}

export function refundedNotice(
  r: Pick<ReturnRecord, 'orderId'>,
  amount: number,
  currency: string,
): ReturnNotice {
  return {
    subject: `Refund issued for your return of order ${r.orderId}`,
    body: `We refunded ${formatMoney(amount, currency)} to the payment method you used for order ${r.orderId}.`,
  };
}

export function rejectedNotice(r: Pick<ReturnRecord, 'orderId'>, reason: ReturnRejection): ReturnNotice {
  return {
    subject: `We could not accept your return of order ${r.orderId}`,
    body: `We could not accept this return: ${rejectionInWords(reason)}. Nothing was charged or refunded.`,
  };
}

export function inspectionFailedNotice(
  r: Pick<ReturnRecord, 'orderId'>,
  customerMessage: string | undefined,
): ReturnNotice {
  return {
    subject: `Your return of order ${r.orderId} did not pass inspection`,
    body: `Your returned items did not pass our inspection, so no refund was issued. ${customerMessage ?? 'A member of our team can explain the details: reply here or ask for a call.'}`,
  };
}

export function expiredNotice(r: Pick<ReturnRecord, 'orderId'>, expiresAt: string | undefined): ReturnNotice {
  return {
    subject: `Your return label for order ${r.orderId} expired`,
    body:
      `The carrier never scanned your package${expiresAt ? ` before the label expired on ${dateInWords(expiresAt)}` : ''}, ` +
      'so nothing was refunded. You can start a new return while the order is still inside its return window.',
  };
}

export function needsAttentionNotice(r: Pick<ReturnRecord, 'orderId'>): ReturnNotice {
  return {
    subject: `A person is looking at your return of order ${r.orderId}`,
    body: 'Something on our side needs a closer look, so a member of our team is taking over your return. Nothing is lost: we will write to you here.',
  };
}
