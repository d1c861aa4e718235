/**
 * Signing in to the web app on AWS through the Cognito hosted UI (authorization code grant with PKCE S256), and the
 * fetch each page then calls the API with: the chat sends the ID token, the console signs with SigV4 using the
 * identity pool's credentials for the agents' role. Tokens live in sessionStorage: this tab only, gone when it closes.
 */
import type { SignedFetch, WebConfig } from './contract.js';
import { agentCredentials, type CognitoIdentityClientLike } from './credentials.js';
import {
  authorizeUrl,
  callbackOf,
  codeExchangeBody,
  type HostedUiClient,
  logoutUrl,
  parseTokenResponse,
  refreshBody,
  SignInError,
  type Tokens,
  tokenUrl,
  withoutCallback,
} from './hosted-ui.js';
import { challengeOf, createState, createVerifier, cryptoRandom, type RandomBytes } from './pkce.js';
import { signRequest } from './sigv4.js';

export { SignInError } from './hosted-ui.js';

/** What a session needs from the browser (injected in tests). */
export interface BrowserEnvironment {
  readonly location: { readonly href: string; assign(url: string): void };
  readonly history: { replaceState(data: unknown, unused: string, url?: string): void };
  readonly storage: {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
  };
  readonly fetch: (input: string, init?: RequestInit) => Promise<Response>;
  readonly now: () => number;
  readonly random: RandomBytes;
}

export function browserEnvironment(): BrowserEnvironment {
  const page = globalThis as unknown as Pick<BrowserEnvironment, 'location' | 'history'> & {
    readonly sessionStorage: BrowserEnvironment['storage'];
  };
  return {
    location: page.location,
    history: page.history,
    storage: page.sessionStorage,
    fetch: (input, init) => globalThis.fetch(input, init),
    now: Date.now,
    random: cryptoRandom,
  };
}

export type Page = 'customer' | 'agent';

/** Tokens are renewed when less than this is left, so a request never leaves with a token about to expire. */
const RENEW_TOKENS_BEFORE_MS = 60_000;
/** A sign-in started longer ago than this is not finished (the hosted UI's codes live 5 minutes). */
const PENDING_SIGN_IN_MS = 10 * 60_000;

interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  readonly startedAt: number;
}

function required(config: WebConfig, keys: readonly (keyof WebConfig)[]): Record<string, string> {
  const missing = keys.filter((key) => !config[key]);
  if (config.mode !== 'aws' || missing.length > 0)
    throw new SignInError(
      `config.json is not an AWS sign-in configuration (mode "${config.mode}"${missing.length ? `, missing ${missing.join(', ')}` : ''}).`,
    );
  return Object.fromEntries(keys.map((key) => [key, String(config[key])]));
}

/** One page's sign-in: its tokens and its pending sign-in, under keys of its own. */
class HostedUiSession {
  private readonly client: HostedUiClient;
  private readonly tokensKey: string;
  private readonly pendingKey: string;
  private tokens: Tokens | undefined;
  private renewal: Promise<Tokens | undefined> | undefined;

  constructor(
    config: Record<string, string>,
    page: Page,
    private readonly env: BrowserEnvironment,
  ) {
    const origin = new URL(env.location.href).origin;
    this.client = {
      domain: config.cognitoDomain ?? '',
      clientId: config.userPoolClientId ?? '',
      redirectUri: `${origin}${page === 'agent' ? '/agent' : '/'}`,
    };
    this.tokensKey = `refundHub:${page}:tokens`;
    this.pendingKey = `refundHub:${page}:signIn`;
    this.tokens = this.read<Tokens>(this.tokensKey);
  }

  /** Finishes a sign-in the hosted UI sent back, else keeps the tab's tokens, else goes to the hosted UI. */
  async start(): Promise<void> {
    const url = new URL(this.env.location.href);
    const callback = callbackOf(url);
    if (callback) {
      const pending = this.read<PendingSignIn>(this.pendingKey);
      this.env.storage.removeItem(this.pendingKey);
      this.env.history.replaceState(null, '', withoutCallback(url));
      if (callback.kind === 'error') throw new SignInError(`Sign-in did not finish: ${callback.message}`);
      if (
        !pending ||
        pending.state !== callback.state ||
        this.env.now() - pending.startedAt > PENDING_SIGN_IN_MS
      )
        throw new SignInError(
          'This sign-in was not started from this tab, or too long ago. Reload the page to sign in again.',
        );
      const response = await this.post(codeExchangeBody(this.client, callback.code, pending.verifier));
      this.keep(parseTokenResponse(response.status, await jsonOf(response), this.env.now()));
      return;
    }
    if (this.tokens && this.fresh(this.tokens)) return;
    if (await this.renew()) return;
    await this.redirect();
  }

  /** The ID token, renewed first when it is about to expire; without a way to renew, the hosted UI again. */
  async idToken(): Promise<string> {
    if (this.tokens && this.fresh(this.tokens)) return this.tokens.idToken;
    const renewed = await this.renew();
    if (renewed) return renewed.idToken;
    await this.redirect();
    throw new SignInError('Signing in again.');
  }

  /** New tokens from the refresh token (one renewal at a time); undefined when there is none or it was refused. */
  renew(): Promise<Tokens | undefined> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) return Promise.resolve(undefined);
    this.renewal ??= (async () => {
      try {
        const response = await this.post(refreshBody(this.client, refreshToken));
        return this.keep(
          parseTokenResponse(response.status, await jsonOf(response), this.env.now(), this.tokens),
        );
      } catch {
        this.forget();
        return undefined;
      } finally {
        this.renewal = undefined;
      }
    })();
    return this.renewal;
  }

  signOut(): void {
    this.forget();
    this.env.location.assign(logoutUrl(this.client));
  }

  private async redirect(): Promise<never> {
    const verifier = createVerifier(this.env.random);
    const state = createState(this.env.random);
    const pending: PendingSignIn = { state, verifier, startedAt: this.env.now() };
    this.env.storage.setItem(this.pendingKey, JSON.stringify(pending));
    this.env.location.assign(authorizeUrl(this.client, { state, challenge: await challengeOf(verifier) }));
    // The page is leaving for the hosted UI: nothing after this should run.
    return new Promise<never>(() => {});
  }

  private post(body: URLSearchParams): Promise<Response> {
    return this.env.fetch(tokenUrl(this.client), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  private fresh(tokens: Tokens): boolean {
    return this.env.now() < tokens.expiresAt - RENEW_TOKENS_BEFORE_MS;
  }

  private keep(tokens: Tokens): Tokens {
    this.tokens = tokens;
    this.env.storage.setItem(this.tokensKey, JSON.stringify(tokens));
    return tokens;
  }

  private forget(): void {
    this.tokens = undefined;
    this.env.storage.removeItem(this.tokensKey);
  }

  private read<T>(key: string): T | undefined {
    try {
      const raw = this.env.storage.getItem(key);
      return raw ? (JSON.parse(raw) as T) : undefined;
    } catch {
      return undefined;
    }
  }
}

async function jsonOf(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** Lower-case header names and values from any HeadersInit. */
function headersOf(init: RequestInit['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  new Headers(init).forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

const apiUrlOf = (config: WebConfig, path: string) => `${config.apiUrl.replace(/\/+$/, '')}${path}`;

/**
 * The customer chat's sign-in. Resolves once signed in (possibly after the hosted UI sent the browser back); while
 * the browser goes to the hosted UI it never resolves. Requests carry the ID token in `Authorization`.
 */
export async function signInCustomer(
  config: WebConfig,
  env: BrowserEnvironment = browserEnvironment(),
): Promise<SignedFetch> {
  const session = new HostedUiSession(
    required(config, ['region', 'userPoolId', 'userPoolClientId', 'cognitoDomain']),
    'customer',
    env,
  );
  await session.start();
  return async (path, init = {}) => {
    const send = (idToken: string) =>
      env.fetch(apiUrlOf(config, path), {
        ...init,
        headers: { ...headersOf(init.headers), authorization: idToken },
      });
    const response = await send(await session.idToken());
    // A token revoked or expired early (sign-out elsewhere, clock skew): renew once and try again.
    if (response.status !== 401) return response;
    const renewed = await session.renew();
    return renewed ? send(renewed.idToken) : response;
  };
}

/**
 * The agent console's sign-in: the same hosted UI, then credentials of the agents' role from the identity pool for
 * the ID token, renewed before they expire. Every request is signed with SigV4 (service execute-api). A body must be
 * a string (JSON.stringify it): the signature covers its bytes.
 */
export async function signInAgent(
  config: WebConfig,
  env: BrowserEnvironment = browserEnvironment(),
  identityClient?: CognitoIdentityClientLike,
): Promise<SignedFetch> {
  const settings = required(config, [
    'region',
    'userPoolId',
    'userPoolClientId',
    'cognitoDomain',
    'identityPoolId',
  ]);
  const session = new HostedUiSession(settings, 'agent', env);
  await session.start();
  const region = settings.region ?? '';
  const credentials = agentCredentials({
    region,
    userPoolId: settings.userPoolId ?? '',
    identityPoolId: settings.identityPoolId ?? '',
    idToken: () => session.idToken(),
    now: env.now,
    ...(identityClient ? { client: identityClient } : {}),
  });
  return async (path, init = {}) => {
    const body = init.body ?? undefined;
    if (body !== undefined && typeof body !== 'string')
      throw new TypeError(
        'A signed request takes a string body (JSON.stringify it): the signature covers its bytes.',
      );
    const request = {
      url: apiUrlOf(config, path),
      method: (init.method ?? 'GET').toUpperCase(),
      headers: headersOf(init.headers),
      ...(body !== undefined ? { body } : {}),
    };
    const signed = await signRequest(request, await credentials(), region, new Date(env.now()));
    return env.fetch(signed.url, { ...init, method: signed.method, headers: signed.headers });
  };
}

/** Forgets this tab's tokens for the page and signs out of the hosted UI, which sends the browser back to the page. */
export function signOut(config: WebConfig, page: Page, env: BrowserEnvironment = browserEnvironment()): void {
  new HostedUiSession(required(config, ['userPoolClientId', 'cognitoDomain']), page, env).signOut();
}
