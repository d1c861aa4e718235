/**
 * The web chat (`/`) and the agent console (`/agent`) on the local API's port, from the built `web/dist`, with
 * the dev-only sign-in routes the pages use in `local` mode. None of this is deployed: on AWS CloudFront serves
 * web/dist and Cognito signs people in (web/src/aws/).
 *
 *   GET /config.json                       { mode: "local", apiUrl: "" } (same origin)
 *   GET /local/demo-customers              the demo customers to pick from
 *   GET /local/session?customer=C-1001     a customer token (what a Cognito ID token is on AWS)
 *   GET /local/session?agent=agent-1       an agent token (what SigV4 credentials of the `agents` group are on AWS)
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../lib/paths.js';
import type { LocalAuth } from './auth.js';

export const WEB_DIST = path.join(PROJECT_ROOT, 'web', 'dist');

/** The local agents (`npm start` prints their tokens; two, so a second one can confirm a dual approval). */
export const LOCAL_AGENTS = ['agent-1', 'agent-2'] as const;

export interface WebAppOptions {
  /** The built app. @default web/dist */
  readonly distDir?: string;
  /** Offered on the chat's sign-in page. */
  readonly demoCustomers: readonly { readonly customerId: string; readonly description: string }[];
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** As the CloudFront response headers policy sends them (lib/constructs/web-*.ts), so local pages break the same way. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/** Customer ids as the account import accepts them; anything else is refused before a token is signed. */
const CUSTOMER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const refuse = (res: ServerResponse, status: number, code: string, message: string) =>
  sendJson(res, status, { error: { code, message } });

/** `/` and `/agent` are pages; `/assets/x.js` a file of the build; nothing outside the dist folder. */
function fileFor(distDir: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded === '/' || decoded === '/index.html') return path.join(distDir, 'index.html');
  if (decoded === '/agent' || decoded === '/agent/') return path.join(distDir, 'agent', 'index.html');
  const file = path.resolve(distDir, `.${decoded}`);
  return file.startsWith(`${distDir}${path.sep}`) ? file : undefined;
}

/**
 * Answers the request when it is one for the web app (true), else leaves it to the API (false). Only GET and
 * HEAD outside the API's stage prefix are the app's.
 */
export function webAppHandler(auth: LocalAuth, options: WebAppOptions) {
  const distDir = path.resolve(options.distDir ?? WEB_DIST);
  const customers = options.demoCustomers.map((c) => ({
    customerId: c.customerId,
    description: c.description,
  }));

  const session = async (res: ServerResponse, search: URLSearchParams) => {
    const customer = search.get('customer');
    const agent = search.get('agent');
    if (customer !== null && agent === null) {
      if (!CUSTOMER_ID.test(customer))
        return refuse(res, 400, 'invalid_customer', 'customer: a customer id like C-1001.');
      return sendJson(res, 200, {
        kind: 'customer',
        customerId: customer,
        token: await auth.customerToken(customer),
      });
    }
    if (agent !== null && customer === null) {
      if (!(LOCAL_AGENTS as readonly string[]).includes(agent))
        return refuse(res, 404, 'unknown_agent', `agent: one of ${LOCAL_AGENTS.join(', ')}.`);
      return sendJson(res, 200, { kind: 'agent', agentId: agent, token: await auth.agentToken(agent) });
    }
    return refuse(res, 400, 'invalid_request', 'Give one of customer=<id> or agent=<id>.');
  };

  return async (req: IncomingMessage, res: ServerResponse, pathname: string, search: URLSearchParams) => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (pathname === '/config.json') {
      sendJson(res, 200, { mode: 'local', apiUrl: '' });
      return true;
    }
    if (pathname === '/local/demo-customers') {
      sendJson(res, 200, { customers });
      return true;
    }
    if (pathname === '/local/session') {
      await session(res, search);
      return true;
    }
    const file = fileFor(distDir, pathname);
    if (!file) return false;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      if (pathname === '/' || pathname.startsWith('/agent')) {
        refuse(
          res,
          503,
          'web_not_built',
          'The web app is not built: run `npm run build:web` (npm start does it).',
        );
        return true;
      }
      return false;
    }
    const body = await readFile(file);
    const hashed = pathname.startsWith('/assets/');
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      // Vite names assets by their hash: they never change; the pages do at every build.
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    res.end(method === 'HEAD' ? undefined : body);
    return true;
  };
}
