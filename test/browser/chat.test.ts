/**
 * The customer's chat in a real browser (Debian's Chromium), on the real embedded runtime serving the built page, with
 * refunds paid through the Stripe adapter against the local Stripe emulator: a billing error refunded from a suggestion
 * tap and from a typed message, the refund's status shown as it changes (pending, then succeeded when Stripe settles
 * it, delivered by the signed webhook); Call Me
 * Now refusing a bad number without sending anything, then taking a good one; keyboard-only use; axe at phone and
 * desk widths.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCase, seedAccount } from '../../local/cases.js';
import { accountWithStripe } from '../../local/stripe-emulator/index.js';
import { ledgerItem } from '../workflow/support.js';
import {
  describeViolations,
  focusedName,
  HAVE_CHROMIUM,
  horizontalOverflow,
  recordApiRequests,
  type Stack,
  seriousViolations,
  startStack,
  textMatching,
} from './support.js';

let stack: Stack;

async function openChat(customerId: string): Promise<Page> {
  const page = await stack.context.newPage();
  await page.goto(stack.url(`/?customer=${customerId}`));
  await page.getByRole('heading', { name: 'Live chat' }).waitFor();
  return page;
}

const lastAnswer = (page: Page) => page.locator('.answer').last();

describe.skipIf(!HAVE_CHROMIUM)('the web chat', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    stack = await startStack({ context: { 'refundHub:paymentProvider': 'stripe' } });
    // Customers charged after cancelling, who type instead of tapping (their charges exist at Stripe too).
    for (const [id, currency] of [
      ['C-web-typed', 'EUR'],
      ['C-web-pending', 'USD'],
    ] as const)
      await seedAccount(
        stack.runtime,
        accountWithStripe(stack.runtime.stripe, {
          profile: { id, phone: '+442079460018' },
          subscriptions: [
            {
              id: `SUB-${id}`,
              plan: 'music-monthly',
              status: 'cancelled',
              cancelledAt: '2026-02-01T10:00:00Z',
            },
          ],
          charges: [
            {
              id: `CH-${id}`,
              subscriptionId: `SUB-${id}`,
              amount: 999,
              currency,
              chargedAt: '2026-02-20T08:00:00Z',
            },
          ],
          orders: [],
        }),
      );
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('without a customer, lists the demo customers to open the chat as', async () => {
    const page = await stack.context.newPage();
    await page.goto(stack.url('/'));
    const link = page.getByRole('link', { name: 'C-1001' });
    await link.click();
    await page.getByText('Signed in as C-1001').waitFor();
    expect(new URL(page.url()).searchParams.get('customer')).toBe('C-1001');
    await page.close();
  });

  it("refunds a billing error from one tap on its suggestion, and shows the refund's status", async () => {
    const page = await openChat('C-1001');
    const suggestion = page.locator('.suggestion').first();
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toContain('$14.99');
    await suggestion.click();

    const answer = await textMatching(lastAnswer(page), /Refund of \$14\.99: succeeded/);
    expect(answer).toContain('$14.99');
    // Nothing left to suggest once it is refunded, and the message center and past cases say so.
    await page.locator('.suggestion').waitFor({ state: 'detached', timeout: 10_000 });
    await textMatching(page.locator('section[aria-labelledby="messages-title"]'), /\$14\.99/);
    await textMatching(page.locator('section[aria-labelledby="cases-title"]'), /refunded \$14\.99/);
    expect(await ledgerItem(stack.runtime, 'C-1001', 'CH-2')).toMatchObject({ refundedTotal: 1499 });
    await page.close();
  });

  it('refunds a billing error the customer types, in its own currency', async () => {
    const page = await openChat('C-web-typed');
    const sent = recordApiRequests(page);
    await page
      .getByLabel('Your message')
      .fill('I was charged after I cancelled my subscription, refund please');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = await textMatching(lastAnswer(page), /Refund of €9\.99: succeeded/);
    expect(answer).toContain('€9.99');
    expect(sent.filter((r) => r.method === 'POST' && r.path === '/v1/support-requests')).toHaveLength(1);
    await page.close();
  });

  it('shows a refund pending until Stripe settles it, then succeeded, without a reload', async () => {
    const stripe = stack.runtime.stripe;
    if (!stripe) throw new Error('the stack runs with paymentProvider=stripe');
    stripe.setAccount({ refundsStartPending: true });
    const page = await openChat('C-web-pending');
    try {
      await page.getByLabel('Your message').fill('I was charged after I cancelled, refund please');
      await page.keyboard.press('Enter');
      await textMatching(lastAnswer(page), /Refund of \$9\.99: pending/);
    } finally {
      stripe.setAccount({ refundsStartPending: false });
    }
    const caseId = (await lastAnswer(page).getAttribute('data-case-id')) as string;
    const [line] = (await readCase(stack.runtime, caseId)).refundedChargeIds ?? [];
    expect(line).toBe('CH-C-web-pending');
    const item = await ledgerItem(stack.runtime, 'C-web-pending', 'CH-C-web-pending');
    const refundId = (item?.[`case:${caseId}`] as { providerRefundId?: string } | undefined)
      ?.providerRefundId;
    expect(refundId).toMatch(/^re_/);
    stripe.settleRefund(refundId as string);
    await textMatching(lastAnswer(page), /Refund of \$9\.99: succeeded/);
    await page.close();
  });

  it('Call Me Now refuses a bad number without sending it, then requests the callback with a good one', async () => {
    const page = await openChat('C-1006');
    const sent = recordApiRequests(page);
    await page.getByLabel('Your message').fill('where is my package?');
    await page.keyboard.press('Enter');
    await textMatching(lastAnswer(page), /\S/);
    await page.locator('.answer[data-status="resolved"]').waitFor({ timeout: 20_000 });

    const number = page.getByLabel('Phone number');
    await number.fill('555 12');
    await page.getByRole('button', { name: 'Call me now' }).click();
    const error = page.locator('#callback-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/not a full phone number|10 digits/);
    expect(await number.getAttribute('aria-invalid')).toBe('true');
    expect(sent.filter((r) => r.path.endsWith('/callback'))).toHaveLength(0);

    await page.getByLabel('Country').selectOption('GB');
    await number.fill('020 7946 0018');
    await page.getByRole('button', { name: 'Call me now' }).click();
    const state = page.locator('.callback-state');
    await textMatching(state, /Callback requested/);
    expect(sent.filter((r) => r.method === 'POST' && r.path.endsWith('/callback'))).toHaveLength(1);
    // The follow-up puts the case in a person's hands.
    await page.locator('.callback-state[data-callback-status="awaiting_agent"]').waitFor({ timeout: 20_000 });
    const caseId = (await page.locator('.answer').last().getAttribute('data-case-id')) as string;
    expect((await readCase(stack.runtime, caseId)).followUp?.callbackPhone).toBe('+442079460018');
    await page.close();
  });

  it('"Talk to a representative" is always there and hands the chat to a person', async () => {
    const page = await openChat('C-1008');
    await page.getByRole('button', { name: 'Talk to a representative' }).click();
    await page.locator('.answer[data-status="awaiting_agent"]').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'Talk to a representative' }).isVisible()).toBe(true);
    await page.close();
  });

  it('works with the keyboard alone: type and send, then ask for a call', async () => {
    const page = await openChat('C-1002');
    const focusOn = async (label: string) => {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        const current = await focusedName(page);
        if (current.trim() === label) return;
      }
      throw new Error(`Tab never reached "${label}"`);
    };
    await focusOn('Your message');
    await page.keyboard.type('I cancelled Prime, please refund my last payment');
    await page.keyboard.press('Enter');
    await page.locator('.answer[data-status="resolved"]').waitFor({ timeout: 20_000 });
    expect(await lastAnswer(page).locator('.subject').count()).toBeGreaterThan(0);

    await focusOn('Country');
    await page.keyboard.press('ArrowDown'); // Canada, +1 as well
    await focusOn('Phone number');
    await page.keyboard.type('604 555 0199');
    await page.keyboard.press('Enter');
    await textMatching(page.locator('.callback-state'), /Callback requested/);
    await page.close();
  });

  for (const width of [390, 1280])
    it(`has no serious or critical axe violation at ${width} px, with a conversation on screen`, async () => {
      const page = await stack.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(stack.url('/?customer=C-1004'));
      await page
        .getByLabel('Your message')
        .fill('Someone logged into my account and changed my email address');
      await page.keyboard.press('Enter');
      await page.locator('.answer[data-status="awaiting_agent"]').waitFor({ timeout: 20_000 });
      const violations = await seriousViolations(page);
      expect(describeViolations(violations)).toBe('');
      // Nothing wider than the screen: no sideways scrolling on a phone.
      const overflow = await horizontalOverflow(page);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.close();
    });
});
