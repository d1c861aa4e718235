/**
 * `npm run screenshots`: the README's pictures, from the running product. Starts the embedded runtime with the demo
 * customers, drives the chat and the console in Debian's Chromium, and writes docs/images/chat.png, chat-phone.png,
 * console.png, case.png, returns.png (the order picker, and a return started from the chat with its label and timeline) and inspection.png (a
 * return at the warehouse in the console's inspection form).
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../lib/paths.js';
import { seedAccount } from '../local/cases.js';
import { returnsDemoAccount } from '../local/demo.js';
import { postCarrierEvent, readReturn } from '../local/returns.js';
import { CHROMIUM, HAVE_CHROMIUM, startStack } from '../test/browser/support.js';

const OUT = path.join(PROJECT_ROOT, 'docs', 'images');

/** The demo data's orders are from March 2026: the returns demo customer's order was delivered this week. */
const RETURNS_CUSTOMER = returnsDemoAccount(new Date());

async function waitForLabel(
  stack: Awaited<ReturnType<typeof startStack>>,
  returnId: string,
): Promise<string> {
  for (let i = 0; i < 200; i += 1) {
    const record = await readReturn(stack.runtime, returnId);
    if (record.label) return record.label.trackingId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Return ${returnId} got no label`);
}

async function main() {
  if (!HAVE_CHROMIUM)
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH).`);
  mkdirSync(OUT, { recursive: true });
  const stack = await startStack();
  try {
    const { context, api } = stack;
    // Cases waiting for people, sent as their customers would (the real API, the real workflow).
    const waiting = [
      ['C-1003', 'You renewed my business plan after I cancelled it. Refund please.'],
      ['C-1007', 'Tracking says my laptop was delivered but it never arrived'],
      ['C-1004', 'Someone logged into my account and changed my email address'],
      ['C-1005', 'Talk to a representative'],
    ] as const;
    const caseIds: string[] = [];
    for (const [customerId, message] of waiting) {
      const response = await fetch(`${api.baseUrl}/support-requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await api.auth.customerToken(customerId)}`,
          'content-type': 'application/json',
          'idempotency-key': `screenshot-${customerId}`,
        },
        body: JSON.stringify({ message }),
      });
      caseIds.push(((await response.json()) as { caseId: string }).caseId);
    }

    const chat = await context.newPage();
    await chat.setViewportSize({ width: 1280, height: 860 });
    await chat.goto(stack.url('/?customer=C-1001'));
    await chat.locator('.suggestion').first().waitFor();
    await chat.screenshot({ path: path.join(OUT, 'chat-suggestion.png') });
    await chat.locator('.suggestion').first().click();
    await chat.locator('[data-refund-status="succeeded"]').waitFor({ timeout: 20_000 });
    await chat.getByLabel('Phone number').fill('206 555');
    await chat.getByRole('button', { name: 'Call me now' }).click();
    await chat.locator('#callback-error').waitFor();
    await chat.screenshot({ path: path.join(OUT, 'chat.png'), fullPage: true });
    await chat.setViewportSize({ width: 390, height: 844 });
    await chat.screenshot({ path: path.join(OUT, 'chat-phone.png'), fullPage: true });

    const board = await context.newPage();
    await board.setViewportSize({ width: 1280, height: 860 });
    await board.goto(stack.url('/agent?agent=agent-1'));
    for (const caseId of caseIds)
      await board.locator(`tr[data-case-id="${caseId}"]`).waitFor({ timeout: 20_000 });
    await board.screenshot({ path: path.join(OUT, 'console.png'), fullPage: true });

    const view = await context.newPage();
    await view.setViewportSize({ width: 1280, height: 860 });
    await view.goto(stack.url(`/agent?agent=agent-1&case=${caseIds[0]}`));
    await view.getByRole('img', { name: /Charges against the cancellation/ }).waitFor();
    await view
      .getByLabel(/Internal note/)
      .fill('Renewed after the cancellation took effect: refund in full.');
    await view.screenshot({ path: path.join(OUT, 'case.png'), fullPage: true });

    // A return from the chat: the chair (over the high-value threshold, so inspected), then at the warehouse.
    await seedAccount(stack.runtime, RETURNS_CUSTOMER);
    const returns = await context.newPage();
    await returns.setViewportSize({ width: 1280, height: 860 });
    await returns.goto(stack.url('/?customer=C-returns'));
    await returns.getByRole('button', { name: 'Return an item' }).click();
    await returns.getByRole('radio', { name: /^Order O-R-1 ·/ }).check();
    await returns.getByLabel(/Quantity of Desk chair/).fill('1');
    await returns.getByLabel('Reason').selectOption('damaged');
    await returns.getByLabel('Comment (optional)').fill('One leg is bent.');
    await returns.getByRole('button', { name: 'Start the return' }).click();
    const status = returns.locator('.return-status').first();
    await status.waitFor({ timeout: 20_000 });
    const returnId = (await status.getAttribute('data-return-id')) as string;
    const trackingId = await waitForLabel(stack, returnId);
    await returns.locator('.return-status[data-return-status="label_created"]').waitFor({ timeout: 20_000 });
    // The form again, above the return: the order picker with every order, and why some cannot be returned.
    await returns.getByRole('button', { name: 'Return an item' }).click();
    await returns.getByRole('radio', { name: /^Order O-R-4 ·/ }).check();
    await returns.getByText('Items of order O-R-4 to return').waitFor();
    await returns.screenshot({ path: path.join(OUT, 'returns.png'), fullPage: true });

    for (const event of ['first_scan', 'delivered_to_warehouse'])
      await postCarrierEvent(stack.runtime, { trackingId, event, at: new Date().toISOString() });
    const inspection = await context.newPage();
    await inspection.setViewportSize({ width: 1280, height: 860 });
    await inspection.goto(stack.url(`/agent?agent=agent-1&return=${returnId}`));
    await inspection.getByRole('heading', { name: /Inspect the return/ }).waitFor({ timeout: 20_000 });
    await inspection.getByLabel(/^Pass/).check();
    await inspection.getByLabel(/Internal note/).fill('Leg bent in transit; chair otherwise unused.');
    await inspection.screenshot({ path: path.join(OUT, 'inspection.png'), fullPage: true });
    process.stdout.write(
      `Wrote chat.png, chat-suggestion.png, chat-phone.png, console.png, case.png, returns.png and inspection.png to ${path.relative(process.cwd(), OUT) || OUT}\n`,
    );
  } finally {
    await stack.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`Screenshots failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
