/**
 * The agent console in a real browser, with the customer's chat open beside it, on the real embedded runtime: an agent
 * claims and resolves a waiting case and the customer's chat shows the agent's words (never the internal note); a
 * $1,299 refund over the dual-approval threshold moves no money until a second agent confirms it; the evidence pack
 * draws the charges against the cancellation; axe at phone and desk widths.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCase } from '../../local/cases.js';
import { ledgerItem } from '../workflow/support.js';
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
const NOTE = 'INTERNAL: verified by phone, ticket 8812';

/** The customer opens the chat and sends a message; the case waits for a person. Returns the page and the case id. */
async function customerWaiting(customerId: string, message: string): Promise<{ chat: Page; caseId: string }> {
  const chat = await stack.context.newPage();
  await chat.goto(stack.url(`/?customer=${customerId}`));
  await chat.getByLabel('Your message').fill(message);
  await chat.keyboard.press('Enter');
  const answer = chat.locator('.answer[data-status="awaiting_agent"]').last();
  await answer.waitFor({ timeout: 20_000 });
  return { chat, caseId: (await answer.getAttribute('data-case-id')) as string };
}

async function openConsole(agentId: string, caseId?: string): Promise<Page> {
  const page = await stack.context.newPage();
  await page.goto(stack.url(`/agent?agent=${agentId}${caseId ? `&case=${caseId}` : ''}`));
  await page.getByText(`Signed in as ${agentId}`).waitFor();
  return page;
}

const caseStatus = (page: Page) => page.getByTestId('case-status');

describe.skipIf(!HAVE_CHROMIUM)('the agent console', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    stack = await startStack();
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("an agent claims and resolves a waiting case from the board, and the customer's chat shows it", async () => {
    const { chat, caseId } = await customerWaiting('C-1005', 'Talk to a representative');
    const agent = await openConsole('agent-1');
    const row = agent.locator(`tr[data-case-id="${caseId}"]`);
    await row.waitFor({ timeout: 10_000 });
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toMatch(/left/); // the SLA counting down
    expect(await agent.locator('section[aria-labelledby="queue-general"]').textContent()).toContain(
      'general queue (1)',
    );
    await row.getByRole('link').click();

    await agent.getByRole('button', { name: 'Claim this case' }).click();
    await textMatching(caseStatus(agent), /^claimed$/);
    expect((await readCase(stack.runtime, caseId)).claimedBy).toMatch(/\/agent-1$/);

    const sent = recordApiRequests(agent);
    await agent.getByLabel(/Resolve \(handled\)/).check();
    await agent.getByLabel(/Internal note/).fill(NOTE);
    await agent.getByRole('button', { name: 'Send the decision' }).click();
    await textMatching(agent.locator('.decision [role="alert"]'), /message to the customer/);
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);

    await agent
      .getByLabel(/Message to the customer/)
      .fill('We called you and changed your delivery address.');
    await agent.getByRole('button', { name: 'Send the decision' }).click();
    await textMatching(caseStatus(agent), /^resolved$/);

    const answer = await textMatching(
      chat.locator(`.answer[data-case-id="${caseId}"]`),
      /changed your delivery address/,
    );
    expect(answer).not.toContain('ticket 8812');
    expect(await chat.locator('body').textContent()).not.toContain('ticket 8812');
    await Promise.all([chat.close(), agent.close()]);
  });

  it('a $1,299 refund waits for a second agent, who confirms it; the money moves once and the chat shows it', async () => {
    const { chat, caseId } = await customerWaiting(
      'C-1007',
      'Tracking says my laptop was delivered but it never arrived',
    );
    const first = await openConsole('agent-1', caseId);
    await first.getByRole('heading', { name: /Order O-/ }).waitFor();
    const sent = recordApiRequests(first);

    // The order's charge is proposed with its remainder; more than the remainder is refused before any request.
    const amount = first.getByLabel(/Amount for CH-7/);
    expect(await amount.inputValue()).toBe('1299.00');
    await amount.fill('1300.00');
    await first.getByLabel(/Internal note/).fill('carrier photo shows the wrong door');
    await first.getByRole('button', { name: 'Send the decision' }).click();
    await textMatching(first.locator('.decision [role="alert"]'), /at most its remainder, \$1,299\.00/);
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);

    await amount.fill('1299.00');
    await first.getByRole('button', { name: 'Send the decision' }).click();
    await textMatching(first.locator('.notice'), /waits for a second agent/);
    await textMatching(caseStatus(first), /^awaiting second approval$/);
    expect(await first.getByRole('button', { name: 'Confirm the decision' }).count()).toBe(0);
    expect(await first.locator('.approval').textContent()).toContain('You made this decision');
    expect(await ledgerItem(stack.runtime, 'C-1007', 'CH-7')).toBeUndefined();

    const second = await openConsole('agent-2', caseId);
    await second.getByRole('button', { name: 'Confirm the decision' }).click();
    await textMatching(caseStatus(second), /^resolved$/);
    await textMatching(second.locator('section[aria-labelledby="money-title"]'), /approved by agent-2/);
    expect(await ledgerItem(stack.runtime, 'C-1007', 'CH-7')).toMatchObject({ refundedTotal: 129900 });

    await textMatching(chat.locator(`.answer[data-case-id="${caseId}"]`), /Refund of \$1,299\.00: succeeded/);
    expect(await chat.locator('body').textContent()).not.toContain('wrong door');
    await Promise.all([chat.close(), first.close(), second.close()]);
  });

  it('draws the charges against the cancellation instant, billing errors after the dashed line', async () => {
    const { chat, caseId } = await customerWaiting(
      'C-1003',
      'You renewed my business plan after I cancelled it. Refund please.',
    );
    const agent = await openConsole('agent-1', caseId);
    const picture = agent.getByRole('img', { name: /Charges against the cancellation/ });
    await picture.waitFor();
    const cancelX = Number(await picture.locator('.cancellation line').first().getAttribute('x1'));
    const errorXs = await picture
      .locator('.charge.error circle')
      .evaluateAll((circles) => circles.map((c) => Number(c.getAttribute('cx'))));
    expect(errorXs.length).toBeGreaterThan(0);
    for (const x of errorXs) expect(x).toBeGreaterThanOrEqual(cancelX);
    const table =
      (await agent.getByRole('table', { name: /Charges and the cancellation/ }).textContent()) ?? '';
    expect(table).toMatch(/cancellation effective/);
    expect(table).toMatch(/yes: after cancellation/);
    await Promise.all([chat.close(), agent.close()]);
  });

  for (const width of [390, 1280])
    it(`has no serious or critical axe violation on the board and a case at ${width} px`, async () => {
      const { chat, caseId } = await customerWaiting(
        'C-1004',
        'Someone logged into my account and changed my email',
      );
      const page = await openConsole('agent-1');
      await page.setViewportSize({ width, height: 900 });
      await page.locator(`tr[data-case-id="${caseId}"]`).waitFor({ timeout: 10_000 });
      const onBoard = await seriousViolations(page);
      expect(describeViolations(onBoard)).toBe('');
      await page.locator(`tr[data-case-id="${caseId}"]`).getByRole('link').click();
      await page.getByRole('heading', { name: 'Decide' }).waitFor();
      const onCase = await seriousViolations(page);
      expect(describeViolations(onCase)).toBe('');
      const overflow = await horizontalOverflow(page);
      expect(overflow).toBeLessThanOrEqual(0);
      await Promise.all([chat.close(), page.close()]);
    });
});
