/** POLICY rule 6 for new customers (issue #18): the tenure an account shows at `now`, and whether approval is required. */
import { describe, expect, it } from 'vitest';
import {
  customerTenure,
  DAY_MS,
  newCustomerApproval,
  type TenureAccount,
} from '../../functions/refund-guardrails/new-customer.js';

const NOW = '2026-03-20T12:00:00Z';
const auto90 = { autoRefundMode: 'auto', approvalForCustomersNewerThanDays: 90 } as const;
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();

const account = (parts: Partial<TenureAccount> = {}): TenureAccount => ({
  profile: {},
  subscriptions: [],
  charges: [],
  orders: [],
  ...parts,
});
const since = (customerSince: string) => account({ profile: { customerSince } });

describe('newCustomerApproval', () => {
  it('requires approval one millisecond under 90 days of tenure, and not at exactly 90 days', () => {
    const under = newCustomerApproval(since(ago(90 * DAY_MS - 1)), NOW, auto90);
    const at = newCustomerApproval(since(ago(90 * DAY_MS)), NOW, auto90);
    const over = newCustomerApproval(since(ago(90 * DAY_MS + 1)), NOW, auto90);

    expect(under).toMatchObject({
      required: true,
      days: 89,
      from: 'customerSince',
      approvalForCustomersNewerThanDays: 90,
    });
    expect(under.why).toMatch(/89 day\(s\).*under approvalForCustomersNewerThanDays 90/);
    expect(at).toMatchObject({ required: false, days: 90, why: null });
    expect(over).toMatchObject({ required: false, days: 90 });
  });

  it('compares instants, not strings: the same instant written with an offset', () => {
    // 2025-12-20T04:00:00-08:00 is 2025-12-20T12:00:00Z: exactly 90 days before NOW, so not new.
    expect(newCustomerApproval(since('2025-12-20T04:00:00-08:00'), NOW, auto90)).toMatchObject({
      required: false,
      days: 90,
    });
    // One minute later (as an instant) is under 90 days, though the string sorts before the UTC one.
    expect(newCustomerApproval(since('2025-12-20T04:01:00-08:00'), NOW, auto90)).toMatchObject({
      required: true,
      days: 89,
    });
  });

  it('without customerSince, counts from the earliest charge, order or subscription instant', () => {
    const history = account({
      charges: [{ chargedAt: ago(10 * DAY_MS) }, { chargedAt: ago(40 * DAY_MS) }],
      orders: [{ placedAt: ago(200 * DAY_MS) }],
      subscriptions: [{ cancelledAt: ago(5 * DAY_MS) }],
    });
    expect(newCustomerApproval(history, NOW, auto90)).toMatchObject({
      required: false,
      from: 'earliest_history',
      since: ago(200 * DAY_MS),
      days: 200,
    });
    const recent = account({
      charges: [{ chargedAt: ago(30 * DAY_MS), billingPeriodStart: ago(31 * DAY_MS) }],
    });
    expect(newCustomerApproval(recent, NOW, auto90)).toMatchObject({
      required: true,
      days: 31,
      from: 'earliest_history',
    });
  });

  it('customerSince wins over an older history (a customer who came back under a new account)', () => {
    const account1 = account({
      profile: { customerSince: ago(20 * DAY_MS) },
      orders: [{ placedAt: ago(300 * DAY_MS) }],
    });
    expect(customerTenure(account1, NOW)).toEqual({
      since: ago(20 * DAY_MS),
      from: 'customerSince',
      days: 20,
    });
  });

  it('a customer with no customerSince and no history counts as new', () => {
    const result = newCustomerApproval(account(), NOW, auto90);
    expect(result).toMatchObject({ required: true, from: 'no_history', since: null, days: null });
    expect(result.why).toMatch(/without history counts as new/);
  });

  it('a customerSince after now counts as new, with 0 days', () => {
    expect(newCustomerApproval(since('2026-03-21T00:00:00Z'), NOW, auto90)).toMatchObject({
      required: true,
      days: 0,
    });
  });

  it('setting 0 is off: even a customer without history is not sent for approval', () => {
    const off = { autoRefundMode: 'auto', approvalForCustomersNewerThanDays: 0 } as const;
    expect(newCustomerApproval(account(), NOW, off)).toMatchObject({ required: false, why: null });
    expect(newCustomerApproval(since(ago(DAY_MS)), NOW, off)).toMatchObject({ required: false, days: 1 });
  });

  it('mode approve is left to its own rule: the new-customer test does not claim the refund', () => {
    const approve = { autoRefundMode: 'approve', approvalForCustomersNewerThanDays: 90 } as const;
    expect(newCustomerApproval(since(ago(DAY_MS)), NOW, approve)).toMatchObject({
      required: false,
      why: null,
      days: 1,
      approvalForCustomersNewerThanDays: 90,
    });
  });
});
