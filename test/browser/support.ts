/**
 * The browser tests' harness: Debian's Chromium driven by playwright-core (no browser download), against the real
 * embedded runtime serving the built web app on one port. One browser per test file; pages are reused.
 */
import '../../local/quiet.js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createLocalAuth } from '../../local/auth.js';
import { loadDemoCustomers, seedDemoCustomers } from '../../local/demo.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';
import { ensureWebBuilt } from '../../scripts/build-web.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM)
  process.stderr.write(
    `Skipping the browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium; CI does).\n`,
  );

/** Without the background-networking flags Chromium waits on the network this machine does not have. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Stack {
  readonly runtime: LocalRuntime;
  readonly api: ApiServer;
  /** One Chromium (a persistent context on a fresh profile folder); each test opens its pages in it. */
  readonly context: BrowserContext;
  /** The page's URL on the running server, e.g. url('/?customer=C-1001'). */
  url(pathAndQuery: string): string;
  close(): Promise<void>;
}

export async function startStack(options: { context?: Record<string, unknown> } = {}): Promise<Stack> {
  await ensureWebBuilt();
  const runtime = await startLocalRuntime(options.context ? { context: options.context } : {});
  const customers = loadDemoCustomers();
  await seedDemoCustomers(runtime, customers);
  const api = await startApiServer(runtime, {
    port: 0,
    auth: createLocalAuth({ secret: 'browser-test-secret' }),
    web: { demoCustomers: customers },
  });
  // With paymentProvider=stripe, the emulator's events reach the API's webhook as npm start wires them.
  runtime.stripe?.addWebhookUrl(`${api.baseUrl}/integrations/stripe/webhook`);
  // A fresh profile each run (playwright passes it as --user-data-dir).
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'refund-hub-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    await api.close();
    await runtime.stop();
    throw error;
  }
  return {
    runtime,
    api,
    context,
    url: (pathAndQuery) => `${api.origin}${pathAndQuery}`,
    close: async () => {
      await context.close().catch(() => undefined);
      await api.close();
      await runtime.stop();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') rightly refuses an inline script tag.
  await page.evaluate(AXE_SOURCE);
  // Page-side code as text: this Node program is type-checked without the DOM's globals.
  const violations = await page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    .then((result) => result.violations)`);
  return (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** "id (impact): help at selectors", for a failing assertion's message. */
export const describeViolations = (violations: readonly AxeViolation[]) =>
  violations
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('\n');

/** Waits until the locator's text matches (the page polls the API with back-off), and returns that text. */
export async function textMatching(
  locator: import('playwright-core').Locator,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.textContent().catch(() => '')) ?? '';
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${pattern} in:\n${text}`);
}

/** The API requests a page sends (method and path), to check that something was or was not sent. */
export function recordApiRequests(page: Page): { method: string; path: string }[] {
  const seen: { method: string; path: string }[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/v1/')) seen.push({ method: request.method(), path: url.pathname });
  });
  return seen;
}

/** How far the page is wider than the window (0 or less: no sideways scrolling). */
export const horizontalOverflow = (page: Page) =>
  page.evaluate('document.documentElement.scrollWidth - window.innerWidth') as Promise<number>;

/** The label (or text) of the element that has the keyboard focus. */
export const focusedName = (page: Page) =>
  page.evaluate(`(() => {
    const el = document.activeElement;
    const label = el && el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
    return ((label ? label.textContent : el && el.textContent) || '').trim();
  })()`) as Promise<string>;
