/**
 * Returns in a real browser on the real embedded runtime: a customer starts an eligible return from the chat and gets
 * the label and tracking id, then sees the refund once the carrier's signed first scan arrives; a return outside the
 * window shows the reason in words and creates nothing; a high-value (inspect-then-refund) return reaches the
 * warehouse, an agent passes it in the console and the customer's chat shows the refund. Keyboard-only use; axe at
 * phone and desk widths on the new views.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { returnsOfCustomer } from '../../functions/returns-core/store.js';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import { seedAccount } from '../../local/cases.js';
import {
  postCarrierEvent,
  readReturn,
  settleReturn,
  startReturn as startReturnOnRuntime,
} from '../../local/returns.js';
import {
  describeViolations,
  HAVE_CHROMIUM,
  horizontalOverflow,
  recordApiRequests,
  type Stack,
  seriousViolations,
  startStack,
  textMatching,
} from './support.js';

let stack: Stack;
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** A customer with a recent delivered order (`O-<id>`, two mugs or one `price`-priced item) and an old one. */
function account(id: string, unitPrice: number, quantity: number): CustomerAccount {
  return {
    profile: { id },
    subscriptions: [],
    charges: [
      {
        id: `CH-${id}`,
        orderId: `O-${id}`,
        amount: unitPrice * quantity,
        currency: 'USD',
        chargedAt: daysAgo(6),
      },
      { id: `CH-old-${id}`, orderId: `OLD-${id}`, amount: 2500, currency: 'USD', chargedAt: daysAgo(70) },
    ],
    orders: [
      {
        id: `O-${id}`,
        total: unitPrice * quantity,
        currency: 'USD',
        status: 'delivered',
        placedAt: daysAgo(6),
        deliveredAt: daysAgo(3),
        items: [{ sku: 'SKU-MUG', name: 'Mug', quantity, unitPrice }],
      },
      {
        id: `OLD-${id}`,
        total: 2500,
        currency: 'USD',
        status: 'delivered',
        placedAt: daysAgo(70),
        deliveredAt: daysAgo(65),
        items: [{ sku: 'SKU-LAMP', name: 'Lamp', quantity: 1, unitPrice: 2500 }],
      },
    ],
  } as unknown as CustomerAccount;
}

async function openChat(customerId: string): Promise<Page> {
  const page = await stack.context.newPage();
  await page.goto(stack.url(`/?customer=${customerId}`));
  await page.getByRole('heading', { name: 'Live chat' }).waitFor();
  return page;
}

/** "Return an item" → the order → quantity → reason → submit; resolves with the new return's id. */
async function startReturn(page: Page, orderId: string, quantity: string): Promise<string> {
  await page.getByRole('button', { name: 'Return an item' }).click();
  await page.getByLabel('Order', { exact: true }).selectOption(orderId);
  await page.getByLabel(/Quantity of SKU-MUG/).fill(quantity);
  await page.getByLabel('Reason').selectOption('damaged');
  await page.getByLabel('Comment (optional)').fill('The handle came off');
  await page.getByRole('button', { name: 'Start the return' }).click();
  const status = page.locator('.return-status').first();
  await status.waitFor({ timeout: 20_000 });
  return (await status.getAttribute('data-return-id')) as string;
}

async function trackingOf(returnId: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const record = await readReturn(stack.runtime, returnId);
    if (record.label) return record.label.trackingId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Return ${returnId} got no label`);
}

/** A return of one mug at the warehouse, set up on the runtime as POST /v1/returns and the carrier's webhook would. */
async function atTheWarehouse(customerId: string): Promise<string> {
  const started = await startReturnOnRuntime(stack.runtime, customerId, {
    orderId: `O-${customerId}`,
    items: [{ sku: 'SKU-MUG', quantity: 1 }],
    reason: 'damaged',
  });
  if (started.rejection !== null) throw new Error(`Refused: ${started.rejection}`);
  await settleReturn(stack.runtime, started.execution);
  const tracking = await trackingOf(started.returnId);
  const arrived = await postCarrierEvent(stack.runtime, {
    trackingId: tracking,
    event: 'delivered_to_warehouse',
    at: new Date().toISOString(),
  });
  if (arrived.statusCode >= 300) throw new Error(`Carrier event refused: ${JSON.stringify(arrived.body)}`);
  await settleReturn(stack.runtime, started.execution);
  return started.returnId;
}

describe.skipIf(!HAVE_CHROMIUM)('returns in the chat and the console', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    stack = await startStack();
    await seedAccount(stack.runtime, account('C-ret-scan', 1500, 2));
    await seedAccount(stack.runtime, account('C-ret-old', 1500, 2));
    await seedAccount(stack.runtime, account('C-ret-inspect', 60_000, 1));
    await seedAccount(stack.runtime, account('C-ret-axe', 1500, 2));
    await seedAccount(stack.runtime, account('C-ret-axe-inspect', 60_000, 2));
    await seedAccount(stack.runtime, account('C-ret-fail', 60_000, 1));
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('an eligible return shows its refund, policy, label and tracking id, then the refund at the first scan', async () => {
    const page = await openChat('C-ret-scan');
    const returnId = await startReturn(page, 'O-C-ret-scan', '1');
    const status = page.locator(`.return-status[data-return-id="${returnId}"]`);
    const tracking = await trackingOf(returnId);
    const text = await textMatching(status, /Label ready/);
    expect(text).toContain('$15.00');
    expect(text).toContain('Refunded as soon as the carrier first scans the package.');
    expect(text).toContain(tracking);
    const link = status.getByRole('link', { name: /label/ });
    expect(await link.getAttribute('href')).toMatch(/^https?:\/\//);
    await textMatching(
      page.locator('section[aria-labelledby="returns-title"] .list'),
      /Order O-C-ret-scan · \$15\.00/,
    );

    const scanned = await postCarrierEvent(stack.runtime, {
      trackingId: tracking,
      event: 'first_scan',
      at: new Date().toISOString(),
    });
    expect(scanned.statusCode).toBeLessThan(300);
    const after = await textMatching(status, /Refunded\./);
    expect(after).toMatch(/\$15\.00 (pending|succeeded)/);
    await page.close();
  });

  it('a return outside the window shows the reason in words and creates nothing', async () => {
    const page = await openChat('C-ret-old');
    const sent = recordApiRequests(page);
    await page.getByRole('button', { name: 'Return an item' }).click();
    await page.getByLabel('Order', { exact: true }).selectOption('__other__');
    await page.getByRole('button', { name: 'Start the return' }).click();
    await textMatching(page.locator('.return-form [role="alert"]'), /Type the order number/);
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);

    await page.getByLabel('Order number').fill('OLD-C-ret-old');
    await page.getByLabel('Item code (SKU)').fill('SKU-LAMP');
    await page.getByLabel('Reason').selectOption('no_longer_needed');
    await page.getByRole('button', { name: 'Start the return' }).click();
    const refusal = await textMatching(page.locator('.refusal'), /return window of the order has closed/);
    expect(refusal).not.toContain('window_closed');
    expect(
      await returnsOfCustomer(stack.runtime.documentClient, stack.runtime.tables.returns, 'C-ret-old'),
    ).toHaveLength(0);
    await page.close();
  });

  it("an inspect-then-refund return at the warehouse is passed by an agent, and the customer's chat shows the refund", async () => {
    const chat = await openChat('C-ret-inspect');
    const returnId = await startReturn(chat, 'O-C-ret-inspect', '1');
    const status = chat.locator(`.return-status[data-return-id="${returnId}"]`);
    const text = await textMatching(status, /Label ready/);
    expect(text).toContain('Refunded once the package reaches our warehouse and passes inspection.');
    const tracking = await trackingOf(returnId);
    const at = new Date().toISOString();
    expect(
      (await postCarrierEvent(stack.runtime, { trackingId: tracking, event: 'first_scan', at })).statusCode,
    ).toBeLessThan(300);
    const arrived = await postCarrierEvent(stack.runtime, {
      trackingId: tracking,
      event: 'delivered_to_warehouse',
      at: new Date().toISOString(),
    });
    expect(arrived.statusCode).toBeLessThan(300);
    await textMatching(status, /waiting for inspection/);

    const agent = await stack.context.newPage();
    await agent.goto(stack.url('/agent?agent=agent-1'));
    const row = agent.locator(`tr[data-return-id="${returnId}"]`);
    await row.waitFor({ timeout: 15_000 });
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('O-C-ret-inspect');
    expect(rowText).toContain('1 × SKU-MUG');
    expect(rowText).toContain('$600.00');
    expect(rowText).toContain('C-ret-inspect');
    await row.getByRole('link', { name: /Inspect/ }).click();
    await agent.getByRole('heading', { name: 'Inspect the return of order O-C-ret-inspect' }).waitFor();

    const sent = recordApiRequests(agent);
    await agent.getByRole('button', { name: 'Send the inspection' }).click();
    await textMatching(agent.locator('[role="alert"]'), /Pick the result/);
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);
    await agent.getByLabel(/^Pass: refund \$600\.00/).check();
    await agent.getByLabel(/Internal note/).fill('INTERNAL: mug intact, box resealed');
    await agent.getByRole('button', { name: 'Send the inspection' }).click();
    await textMatching(agent.locator('.inspection-result'), /Passed/);

    const refunded = await textMatching(status, /Refunded\./, 30_000);
    expect(refunded).toMatch(/\$600\.00 (pending|succeeded)/);
    expect(refunded).not.toContain('INTERNAL');
    expect((await readReturn(stack.runtime, returnId)).status).toBe('refunded');
    await Promise.all([chat.close(), agent.close()]);
  });

  it("a failed inspection refunds nothing, and the customer's chat says why in the agent's words", async () => {
    const returnId = await atTheWarehouse('C-ret-fail');
    const chat = await openChat('C-ret-fail');
    await chat.getByRole('button', { name: 'Follow the return of order O-C-ret-fail' }).click();
    const status = chat.locator(`.return-status[data-return-id="${returnId}"]`);
    await textMatching(status, /waiting for inspection/);

    const agent = await stack.context.newPage();
    await agent.goto(stack.url(`/agent?agent=agent-2&return=${returnId}`));
    await agent.getByLabel(/^Fail/).check();
    await agent
      .getByLabel(/Message to the customer/)
      .fill('The mug came back broken in pieces, not as we sent it.');
    await agent.getByLabel(/Internal note/).fill('INTERNAL: photos in the warehouse log');
    await agent.getByRole('button', { name: 'Send the inspection' }).click();
    await textMatching(agent.locator('.inspection-result'), /Failed/);

    const text = await textMatching(status, /broken in pieces/, 30_000);
    expect(text).toContain('Not refunded.');
    expect(text).not.toContain('INTERNAL');
    expect((await readReturn(stack.runtime, returnId)).refund?.status ?? 'none').toBe('none');
    await Promise.all([chat.close(), agent.close()]);
  });

  it('starts a return with the keyboard only', async () => {
    const page = await openChat('C-ret-axe');
    await page.getByRole('button', { name: 'Return an item' }).focus();
    await page.keyboard.press('Enter');
    const order = page.getByLabel('Order', { exact: true });
    await order.waitFor();
    await order.focus();
    await page.keyboard.press('ArrowDown'); // the first order
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('return-qty-0');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown'); // the first reason
    await page.keyboard.press('Tab');
    await page.keyboard.type('Too small');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await textMatching(page.locator('.return-status').first(), /Return of order O-C-ret-axe/);
    await page.close();
  });

  for (const width of [390, 1280])
    it(`has no serious or critical axe violation on the return form, a return and the inspection views at ${width} px`, async () => {
      const page = await openChat('C-ret-axe');
      await page.setViewportSize({ width, height: 900 });
      await page.getByRole('button', { name: 'Return an item' }).click();
      await page.getByLabel('Order', { exact: true }).selectOption('O-C-ret-axe');
      await page.getByRole('button', { name: 'Start the return' }).click();
      await page.locator('.return-form [role="alert"]').waitFor();
      expect(describeViolations(await seriousViolations(page))).toBe('');
      await page.getByRole('button', { name: 'Cancel' }).click();
      // The return the keyboard test started is in the list.
      await page
        .getByRole('button', { name: /Follow the return/ })
        .first()
        .click();
      await page.locator('.return-status').first().waitFor();
      expect(describeViolations(await seriousViolations(page))).toBe('');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

      const returnId = await atTheWarehouse('C-ret-axe-inspect');

      const agent = await stack.context.newPage();
      await agent.setViewportSize({ width, height: 900 });
      await agent.goto(stack.url('/agent?agent=agent-2'));
      const row = agent.locator(`tr[data-return-id="${returnId}"]`);
      await row.waitFor({ timeout: 15_000 });
      expect(describeViolations(await seriousViolations(agent))).toBe('');
      expect(await horizontalOverflow(agent)).toBeLessThanOrEqual(0);
      await row.getByRole('link', { name: /Inspect/ }).click();
      await agent.getByRole('button', { name: 'Send the inspection' }).click();
      await agent.locator('[role="alert"]').waitFor();
      expect(describeViolations(await seriousViolations(agent))).toBe('');
      expect(await horizontalOverflow(agent)).toBeLessThanOrEqual(0);
      await Promise.all([page.close(), agent.close()]);
    });
});
