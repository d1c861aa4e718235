/**
 * Every message the customer gets when the workflow decides, built from what the account holds (POLICY.md v2
 * "Answers from the customer's own data"): the order with its carrier, tracking id and dates, each subscription's
 * state, the charges compared, the return window, and who calls on which masked number and roughly when.
 * Money in the charge's currency, dates as dates, never a charge id. Pure: plain data in, subject and body out.
 */
import type { CurrencyTotal } from '../money.js';
import type { Intent, MinorUnits, TeamQueue } from '../types.js';
import type { AccountView, OrderView } from './account-view.js';
import type { IntentDecision } from './intent-from-account.js';
import {
  chargesInWords,
  customerDate,
  formatMoney,
  listInWords,
  maskedPhone,
  orderStatusInWords,
  waitInWords,
} from './words.js';

export interface CustomerAnswer {
  readonly subject: string;
  readonly body: string;
}

/** The billing comparison's facts, as CompareBillingDates returned them (the receipt keeps them). */
export interface BillingFacts {
  readonly billingErrors?: readonly {
    readonly chargeId: string;
    readonly subscriptionId: string;
    readonly kinds: readonly string[];
    readonly amount: MinorUnits;
    readonly refundedAmount: MinorUnits;
    readonly currency: string;
    readonly chargedAt: string;
  }[];
  readonly refundableTotals?: readonly CurrencyTotal[];
}

export const CALL_ME_NOW = 'choose "Call Me Now" and a person will help';
const OFFER = ' If you would like to talk it through, choose "Call Me Now" and a person will call you.';

const offerIf = (offered: boolean) => (offered ? OFFER : '');
const totalsInWords = (totals: readonly CurrencyTotal[]) =>
  listInWords(totals.map((t) => formatMoney(t.amount, t.currency)));
const planOf = (view: AccountView | null, subscriptionId: string | null) =>
  view?.subscriptions.find((s) => s.id === subscriptionId)?.plan ?? 'subscription';

/** "with UPS (tracking 1Z999)", "(tracking 1Z999)" or "". */
function carrierInWords(order: OrderView, joiner: 'with' | 'by'): string {
  const tracking = order.trackingId ? `tracking ${order.trackingId}` : '';
  if (order.carrier) return ` ${joiner} ${order.carrier}${tracking ? ` (${tracking})` : ''}`;
  return tracking ? ` (${tracking})` : '';
}

// ---- self_service ----

export function trackingAnswer(view: AccountView | null): CustomerAnswer {
  const order = view?.order;
  if (!order) {
    const which = view?.requestedOrderId ? `order ${view.requestedOrderId}` : 'an order';
    return {
      subject: 'We could not find your order',
      body: `We could not find ${which} on your account. If it was placed with another account or under another number, ${CALL_ME_NOW}.`,
    };
  }
  const subject = `About your order ${order.id}`;
  switch (order.status) {
    case 'lost':
      return {
        subject: `Your order ${order.id} was reported lost`,
        body: `Your order ${order.id}${carrierInWords(order, 'with')} was reported lost. We are sorry: ${CALL_ME_NOW} with a replacement or a refund.`,
      };
    case 'delivered':
      return {
        subject,
        body:
          `Your order ${order.id} was delivered${order.deliveredAt ? ` on ${customerDate(order.deliveredAt)}` : ''}${carrierInWords(order, 'by')}. ` +
          `If you cannot find it, ${CALL_ME_NOW}.`,
      };
    default: {
      const carrier = order.status === 'processing' ? '' : carrierInWords(order, 'with');
      const opening = `Your order ${order.id} ${orderStatusInWords(order.status)}${carrier}.`;
      if (order.late) {
        const follow =
          order.carrier && order.trackingId
            ? `You can follow it with ${order.carrier} using tracking ${order.trackingId}, or `
            : 'If you would like help, ';
        return {
          subject: `Your order ${order.id} is late`,
          body: `${opening} It was due by ${customerDate(order.promisedBy ?? order.placedAt)} and is late; we are sorry. ${follow}${CALL_ME_NOW}.`,
        };
      }
      const due = order.promisedBy ? ` It is due by ${customerDate(order.promisedBy)}.` : '';
      return { subject, body: `${opening}${due}` };
    }
  }
}

export function cancellationAnswer(view: AccountView | null): CustomerAnswer {
  const subscriptions = view?.subscriptions ?? [];
  if (subscriptions.length === 0) {
    return {
      subject: 'About cancelling',
      body: 'You have no subscription with us, so there is nothing to cancel. An order that has not shipped yet can be cancelled under Your Orders.',
    };
  }
  const states = subscriptions.map((s) =>
    s.status === 'active' || !s.cancelledAt
      ? `Your ${s.plan} subscription is active.`
      : `Your ${s.plan} subscription was cancelled on ${customerDate(s.cancelledAt)}, effective ${customerDate(s.effectiveAt ?? s.cancelledAt)}.`,
  );
  const anyActive = subscriptions.some((s) => s.status === 'active');
  return {
    subject: 'Your subscriptions',
    body: `${states.join(' ')} ${
      anyActive
        ? 'To cancel, go to Your Account > Memberships & subscriptions and choose Cancel.'
        : 'There is nothing left to cancel.'
    }`,
  };
}

export function returnAnswer(view: AccountView | null): CustomerAnswer {
  const days = view?.returnWindowDays ?? 30;
  const target = view?.returnOrder;
  if (!target) {
    return {
      subject: 'About your return',
      body: view?.requestedOrderId
        ? `We could not find order ${view.requestedOrderId} on your account. If it was placed with another account, ${CALL_ME_NOW}.`
        : `We found no delivered order on your account to return. Once an order is delivered, you can return it within ${days} days.`,
    };
  }
  const { order } = target;
  const delivered = order.deliveredAt ? `, delivered on ${customerDate(order.deliveredAt)},` : '';
  if (target.eligible) {
    return {
      subject: `You can return order ${order.id}`,
      body: `Order ${order.id}${delivered} can be returned until ${customerDate(target.windowEndsAt ?? order.placedAt)}. Start a return from the chat or Your Orders; the return label is prepaid.`,
    };
  }
  const subject = `About returning order ${order.id}`;
  switch (target.reason) {
    case 'not_delivered':
      return {
        subject,
        body: `Order ${order.id} has not been delivered yet (it ${orderStatusInWords(order.status)}). Once it arrives, you can return it within ${days} days.`,
      };
    case 'window_closed':
      return {
        subject,
        body:
          `Order ${order.id}${delivered.replace(/,$/, '')}; its ${days}-day return window closed on ${customerDate(target.windowEndsAt ?? order.placedAt)}, ` +
          `so it can no longer be returned. If something is wrong with it, ${CALL_ME_NOW}.`,
      };
    case 'final_sale':
      return { subject, body: `The items of order ${order.id} are final sale and cannot be returned.` };
    default:
      return { subject, body: `Nothing from order ${order.id} is left to return: it was returned already.` };
  }
}

/** A billing error the account shows, in words: "Your Prime charge of $14.99 on Mar 15, 2026, made after ...". */
function billingErrorInWords(view: AccountView): string | null {
  const error = view.billingErrors[0];
  if (!error) return null;
  const effective = view.subscriptions.find((s) => s.id === error.subscriptionId)?.effectiveAt;
  const why =
    error.kinds.includes('after_cancellation') && effective
      ? `made after your cancellation took effect on ${customerDate(effective)}`
      : 'a second charge for the same billing period';
  return `your ${error.plan} charge of ${formatMoney(error.amount, error.currency)} on ${customerDate(error.chargedAt)}, ${why}`;
}

/**
 * An unsure classifier that the account pointed at a billing error: no automatic refund (POLICY), the error named and
 * the one tap that asks for it instead.
 */
export function billingSuggestionAnswer(view: AccountView | null): CustomerAnswer {
  const error = view ? billingErrorInWords(view) : null;
  const plan = view?.billingErrors[0]?.plan ?? 'subscription';
  if (!error)
    return { subject: 'About your charges', body: 'You can see your charges under Your Account > Payments.' };
  return {
    subject: 'Is this about a charge?',
    body:
      `It looks like this is about ${error}. We have not refunded it, because we were not sure that is what you asked. ` +
      `To get it refunded, choose "Get it refunded?" in the chat or send "Refund the ${plan} charge I should not have paid".`,
  };
}

/** "Is this about your order O-1, which is late?": what the account shows as likely, for a message we could not place. */
export function hintFromAccount(view: AccountView | null): string {
  if (!view) return '';
  const error = billingErrorInWords(view);
  if (error) return ` Is this about ${error}? Choose "Get it refunded?" in the chat to have it checked.`;
  const order = view.order;
  if (order?.status === 'lost')
    return ` Is this about your order ${order.id}, which was reported lost? Ask "where is my order?" and we will look.`;
  if (order?.late)
    return ` Is this about your order ${order.id}, which is late (it was due by ${customerDate(order.promisedBy ?? order.placedAt)})? Ask "where is my order?" and we will look.`;
  return '';
}

export function generalAnswer(intent: Intent, view: AccountView | null, offered: boolean): CustomerAnswer {
  switch (intent) {
    case 'product_question':
      return {
        subject: 'About your product question',
        body: `We cannot answer product questions in this chat yet; the product page's questions and answers can.${hintFromAccount(view)}${offerIf(offered)}`,
      };
    case 'human_agent':
      return {
        subject: 'Talk to a person',
        body: `Choose "Call Me Now" if you would like a person to call you.${hintFromAccount(view)}`,
      };
    case 'account_security':
      return {
        subject: 'About your account',
        body: 'Go to Your Account > Login & security to review your sign-in details.',
      };
    case 'billing_refund':
      return billingSuggestionAnswer(view);
    default:
      return {
        subject: 'Tell us a little more',
        body: `We could not tell what you need from your message.${hintFromAccount(view) || ` Tell us a bit more (an order, a charge, a return or a cancellation), or ${CALL_ME_NOW}.`}`,
      };
  }
}

// ---- no_refund_due and auto_refunded ----

/** Why none of the charges compared is a billing error, subscription by subscription, in dates and amounts. */
function comparedChargesInWords(view: AccountView): string {
  const perSubscription = view.subscriptions
    .map((s) => ({
      subscription: s,
      charges: view.charges.filter((c) => c.subscriptionId === s.id).slice(0, 3),
    }))
    .filter((entry) => entry.charges.length > 0);
  const sentences = perSubscription.map(({ subscription, charges }) => {
    const plural = charges.length > 1;
    const listed = chargesInWords(charges);
    if (subscription.effectiveAt && subscription.status === 'cancelled')
      return `Your ${subscription.plan} charge${plural ? 's' : ''} of ${listed} ${plural ? 'were' : 'was'} made before your cancellation took effect on ${customerDate(subscription.effectiveAt)}.`;
    return `Your ${subscription.plan} subscription is active, so its charge${plural ? 's' : ''} of ${listed} ${plural ? 'are regular renewals' : 'is a regular renewal'}.`;
  });
  if (sentences.length > 0) return `${sentences.join(' ')} No billing period was charged twice.`;
  if (view.subscriptions.length > 0)
    return `We found no charge for your ${listInWords(view.subscriptions.map((s) => s.plan))} subscription${view.subscriptions.length > 1 ? 's' : ''}.`;
  const latest = view.charges[0];
  const orderCharge = latest
    ? ` Your most recent charge is ${formatMoney(latest.amount, latest.currency)} on ${customerDate(latest.chargedAt)}${latest.orderId ? ` for order ${latest.orderId}` : ''}; ` +
      'to get money back for an order, start a return from the chat or Your Orders.'
    : ' We found no charges on your account.';
  return `You have no subscription with us, so there is no subscription charge to refund.${orderCharge}`;
}

export function noRefundAnswer(
  reason: string,
  view: AccountView | null,
  billing: BillingFacts | null,
  offered: boolean,
): CustomerAnswer {
  const subject = 'About your refund request';
  if (reason === 'already_refunded') {
    const errors = billing?.billingErrors ?? [];
    const named = errors
      .slice(0, 3)
      .map(
        (e) =>
          `${planOf(view, e.subscriptionId)} charge of ${formatMoney(e.amount, e.currency)} on ${customerDate(e.chargedAt)}`,
      );
    return {
      subject,
      body:
        named.length > 0
          ? `Your ${listInWords(named)} ${named.length > 1 ? 'were' : 'was'} already refunded; nothing is left to refund.${offerIf(offered)}`
          : `The charges in question have already been refunded.${offerIf(offered)}`,
    };
  }
  const why = view
    ? comparedChargesInWords(view)
    : 'We compared your charges and found no charge that is a billing error.';
  return { subject, body: `${why}${offerIf(offered)}` };
}

/** "your prime-monthly charge of Mar 15, 2026" for the refunded charges (by date, never by id). */
function refundedChargesInWords(
  chargeIds: readonly string[],
  view: AccountView | null,
  billing: BillingFacts | null,
): string {
  const errors = (billing?.billingErrors ?? []).filter((e) => chargeIds.includes(e.chargeId));
  if (errors.length === 0) return '';
  const plans = [...new Set(errors.map((e) => planOf(view, e.subscriptionId)))];
  const dates = [...new Set(errors.map((e) => customerDate(e.chargedAt)))];
  return ` for your ${listInWords(plans)} charge${errors.length > 1 ? 's' : ''} of ${listInWords(dates)}`;
}

export function autoRefundAnswer(
  input: {
    readonly totals: readonly CurrencyTotal[];
    readonly chargeIds: readonly string[];
    readonly pending: boolean;
    readonly view: AccountView | null;
    readonly billing: BillingFacts | null;
  },
  offered: boolean,
): CustomerAnswer {
  const which = refundedChargesInWords(input.chargeIds, input.view, input.billing);
  const amount = totalsInWords(input.totals);
  return input.pending
    ? {
        subject: 'Your refund has been issued',
        body: `We found a billing error and issued a refund of ${amount}${which}. The payment provider is processing it; we will tell you here when it is confirmed.${offerIf(offered)}`,
      }
    : {
        subject: 'Your refund is on its way',
        body: `We found a billing error and refunded ${amount}${which}. It reaches your original payment method in 3-5 business days.${offerIf(offered)}`,
      };
}

// ---- human_handoff ----

const TEAMS: Record<TeamQueue, string> = {
  billing: 'A billing specialist',
  delivery: 'Our delivery team',
  security: 'Our security team',
  general: 'Our support team',
};

export interface HandoffContact {
  /** The E.164 number the team calls, or null: then live chat. */
  readonly phoneNumber: string | null;
  readonly estimatedWaitMinutes: number;
}

/** Why a person takes this, in the customer's words. */
function handoffWhy(reason: string, view: AccountView | null, billing: BillingFacts | null): string {
  switch (reason) {
    case 'account_security':
      return 'Your account’s security comes first, so our security team will check your sign-in and recent activity with you.';
    case 'customer_request':
      return 'As you asked, a person will take this.';
    case 'high_value': {
      const totals = billing?.refundableTotals ?? [];
      return `The refund${totals.length > 0 ? ` of ${totalsInWords(totals)}` : ''} is more than we refund automatically, so a billing specialist will check it and pay it.`;
    }
    case 'mixed_currency': {
      const currencies = (billing?.refundableTotals ?? []).map((t) => t.currency);
      return `The charges in question are in more than one currency${currencies.length > 1 ? ` (${listInWords(currencies)})` : ''}, so a billing specialist will refund each of them.`;
    }
    case 'high_value_delivery':
      return `${view?.order ? `Order ${view.order.id}` : 'Your order'} is a high-value order, so our delivery team will look into it personally.`;
    case 'sentiment':
      return 'We are sorry this has been frustrating; a person will take it from here.';
    case 'system_error':
      return 'Something went wrong on our side while handling your request, so a person will finish it.';
    case 'approval_required':
    case 'refund_velocity':
    case 'budget_exceeded':
      return 'A billing specialist will check the refund before it is paid.';
    default:
      return '';
  }
}

/** "A billing specialist will call you on +1 ••• ••• 0101 in about 5 minutes." or the live-chat form. */
export function contactInWords(queue: TeamQueue, contact: HandoffContact): string {
  const team = TEAMS[queue];
  const masked = maskedPhone(contact.phoneNumber);
  const when = waitInWords(contact.estimatedWaitMinutes);
  return masked
    ? `${team} will call you on ${masked} ${when}.`
    : `${team} will open a live chat with you here ${when}.`;
}

export function handoffAnswer(input: {
  readonly reason: string;
  readonly queue: TeamQueue;
  readonly contact: HandoffContact;
  readonly view: AccountView | null;
  readonly billing: BillingFacts | null;
  /** The refunds the provider failed (reason refund_failed), in their currencies. */
  readonly failed?: { readonly totals: readonly CurrencyTotal[]; readonly failure: string } | null;
}): CustomerAnswer {
  const contact = contactInWords(input.queue, input.contact);
  if (input.reason === 'refund_failed' && input.failed && input.failed.totals.length > 0) {
    return {
      subject: 'Your refund could not be completed',
      body: `We tried to refund ${totalsInWords(input.failed.totals)} to your original payment method, but ${input.failed.failure}. ${contact} They will pay it another way.`,
    };
  }
  const why = handoffWhy(input.reason, input.view, input.billing);
  return {
    subject: `${TEAMS[input.queue]} will contact you`,
    body: `${why ? `${why} ` : ''}${contact}`,
  };
}

/** The lead sentence when the account decided the topic of a short or ambiguous message. */
export function decidedLead(decision: IntentDecision | null | undefined, view: AccountView | null): string {
  if (!decision?.decided || !view) return '';
  switch (decision.to) {
    case 'order_tracking':
      return view.order ? `Going by your account, this is about your order ${view.order.id}. ` : '';
    case 'return_request':
      return view.returnOrder
        ? `Going by your account, this is about returning order ${view.returnOrder.order.id}. `
        : '';
    default:
      return '';
  }
}
