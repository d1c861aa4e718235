/**
 * Returns in a real browser on the real embedded runtime: a customer starts an eligible return from the chat and gets
 * the label and tracking id, then sees the refund once the carrier's signed first scan arrives; the order picker lists
 * every order (GET /v1/orders, page after page), says why one cannot be returned, and starts a return of an order the
 * suggestions do not name; an order outside the window cannot be picked and nothing is created; a high-value (inspect-then-refund) return reaches the
 * warehouse, an agent passes it in the console and the customer's chat shows the refund. Keyboard-only use; axe at
 * phone and desk widths on the new views.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { returnsOfCustomer } from '../../functions/returns-core/store.js';
import { createLocalAuth } from '../../local/auth.js';
import { RETURNS_DEMO_CUSTOMER_ID, seedReturnsDemoCustomer } from '../../local/demo.js';
import {
  postCarrierEvent,
  readReturn,
  settleReturn,
  startReturn as startReturnOnRuntime,
} from '../../local/returns.js';
import { daysBefore, deliveredOrder, seedReturnsCustomer } from '../returns-fixtures.js';
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
const daysAgo = (days: number) => daysBefore(new Date(), days);

/** A customer with a recent delivered order (`O-<id>`, `quantity` mugs at `unitPrice`) and one past its window. */
function seedCustomer(id: string, unitPrice: number, quantity: number) {
  return seedReturnsCustomer(stack.runtime, id, [
    deliveredOrder(`O-${id}`, [{ sku: 'SKU-MUG', name: 'Mug', quantity, unitPrice }], {
      placedAt: daysAgo(6),
      deliveredAt: daysAgo(3),
    }),
    deliveredOrder(`OLD-${id}`, [{ sku: 'SKU-LAMP', name: 'Lamp', quantity: 1, unitPrice: 2500 }], {
      placedAt: daysAgo(70),
      deliveredAt: daysAgo(65),
    }),
  ]);
}

/** The order's radio in the picker (its accessible name starts with "Order <id> ·"). */
const orderChoice = (page: Page, orderId: string) =>
  page.getByRole('radio', { name: new RegExp(`^Order ${orderId} ·`) });

async function openChat(customerId: string): Promise<Page> {
  const page = await stack.context.newPage();
  await page.goto(stack.url(`/?customer=${customerId}`));
  await page.getByRole('heading', { name: 'Live chat' }).waitFor();
  return page;
}

/** "Return an item" → the order → quantity → reason → submit; resolves with the new return's id. */
async function startReturn(page: Page, orderId: string, quantity: string): Promise<string> {
  await page.getByRole('button', { name: 'Return an item' }).click();
  await orderChoice(page, orderId).check();
  await page.getByLabel(/Quantity of Mug \(SKU-MUG\)/).fill(quantity);
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
    await seedCustomer('C-ret-scan', 1500, 2);
    await seedCustomer('C-ret-old', 1500, 2);
    await seedCustomer('C-ret-inspect', 60_000, 1);
    await seedCustomer('C-ret-axe', 1500, 2);
    await seedCustomer('C-ret-axe-inspect', 60_000, 2);
    await seedCustomer('C-ret-fail', 60_000, 1);
    await seedReturnsDemoCustomer(stack.runtime, new Date());
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

  it('an order outside the window says why in words, cannot be picked, and nothing is created', async () => {
    const page = await openChat('C-ret-old');
    const sent = recordApiRequests(page);
    await page.getByRole('button', { name: 'Return an item' }).click();
    const old = orderChoice(page, 'OLD-C-ret-old');
    await old.waitFor();
    expect(await old.isDisabled()).toBe(true);
    const row = await textMatching(
      page.locator('[data-order-id="OLD-C-ret-old"]'),
      /Cannot be returned: the return window closed on/,
    );
    expect(row).not.toContain('window_closed');
    expect(await orderChoice(page, 'O-C-ret-old').isDisabled()).toBe(false);

    await page.getByLabel('Reason').selectOption('no_longer_needed');
    await page.getByRole('button', { name: 'Start the return' }).click();
    await textMatching(page.locator('.return-form [role="alert"]'), /Pick the order/);
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(
      await returnsOfCustomer(stack.runtime.documentClient, stack.runtime.tables.returns, 'C-ret-old'),
    ).toHaveLength(0);
    await page.close();
  });

  it('the demo customer picks from every order (not only the suggested ones) and returns one item of it', async () => {
    const auth = createLocalAuth({ secret: 'browser-test-secret' });
    const suggestions = await fetch(`${stack.api.baseUrl}/help/suggestions`, {
      headers: { authorization: `Bearer ${await auth.customerToken(RETURNS_DEMO_CUSTOMER_ID)}` },
    });
    const suggested = JSON.stringify(await suggestions.json());
    expect(suggested).toContain('O-R-1');
    expect(suggested).not.toContain('O-R-4');

    const page = await openChat(RETURNS_DEMO_CUSTOMER_ID);
    await page.getByRole('button', { name: 'Return an item' }).click();
    const list = page.locator('.order-picker .list');
    // Newest first, one page of five; the shipped order cannot be returned yet.
    await textMatching(page.locator('.order-picker [role="status"]'), /5 orders shown/);
    expect(
      await list.locator('li').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-order-id'))),
    ).toEqual(['O-R-5', 'O-R-1', 'O-R-2', 'O-R-3', 'O-R-4']);
    expect(await page.locator('[data-order-id="O-R-5"]').textContent()).toContain(
      'it has not been delivered',
    );
    expect(await orderChoice(page, 'O-R-5').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Show more orders' }).click();
    await textMatching(page.locator('[data-order-id="O-R-6"]'), /the return window closed on/);
    expect(await page.getByRole('button', { name: 'Show more orders' }).count()).toBe(0);
    // The button went with the last page: the keyboard focus is on the list, not lost at the top of the page.
    await page
      .waitForFunction(
        'document.activeElement?.getAttribute("aria-label") === "Your orders, newest first"',
        undefined,
        { timeout: 5000 },
      )
      .catch(() => undefined);
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe(
      'Your orders, newest first',
    );

    await orderChoice(page, 'O-R-4').check();
    const items = page.getByRole('group', { name: 'Items of order O-R-4 to return' });
    expect(await items.textContent()).toContain('Gift card (SKU-GIFT): final sale, cannot be returned.');
    const grinder = page.getByLabel('Quantity of Coffee grinder (SKU-GRINDER) to return, up to 1');
    expect(await grinder.inputValue()).toBe('1');
    expect(describeViolations(await seriousViolations(page))).toBe('');
    await grinder.fill('2');
    await page.getByLabel('Reason').selectOption('no_longer_needed');
    await page.getByRole('button', { name: 'Start the return' }).click();
    await textMatching(page.locator('.return-form [role="alert"]'), /At most 1 of Coffee grinder/);
    await grinder.fill('1');
    await page.getByRole('button', { name: 'Start the return' }).click();
    const status = page.locator('.return-status').first();
    const text = await textMatching(status, /Return of order O-R-4/);
    expect(text).toContain('$45.00');
    const stored = await returnsOfCustomer(
      stack.runtime.documentClient,
      stack.runtime.tables.returns,
      RETURNS_DEMO_CUSTOMER_ID,
    );
    expect(stored.map((r) => ({ orderId: r.orderId, items: r.items }))).toEqual([
      { orderId: 'O-R-4', items: [{ sku: 'SKU-GRINDER', quantity: 1 }] },
    ]);

    // Opened again, the order has nothing left to return.
    await page.getByRole('button', { name: 'Return an item' }).click();
    await textMatching(page.locator('[data-order-id="O-R-4"]'), /Nothing left to return/);
    expect(await orderChoice(page, 'O-R-4').isDisabled()).toBe(true);
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
    const order = orderChoice(page, 'O-C-ret-axe');
    await order.waitFor();
    await order.focus();
    await page.keyboard.press('Space'); // the first order (the old one cannot be picked)
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
      await orderChoice(page, 'O-C-ret-axe').check();
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
