import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebConfig } from '../../web/src/aws/contract.js';
import { renewingCredentials, userPoolLoginKey } from '../../web/src/aws/credentials.js';
import { authorizeUrl, parseTokenResponse, SignInError } from '../../web/src/aws/hosted-ui.js';
import { challengeOf, createVerifier } from '../../web/src/aws/pkce.js';
import { type BrowserEnvironment, signInAgent, signInCustomer, signOut } from '../../web/src/aws/session.js';

const WEB = 'https://d111111abcdef8.cloudfront.net';
const HOSTED_UI = 'https://refundhub-123456789012.auth.eu-west-1.amazoncognito.com';
const API = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';
const config: WebConfig = {
  mode: 'aws',
  apiUrl: API,
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  userPoolClientId: 'webclient123',
  cognitoDomain: HOSTED_UI,
  identityPoolId: 'eu-west-1:11111111-2222-3333-4444-555555555555',
};
const START = Date.parse('2026-12-02T07:00:00.000Z');

interface Sent {
  readonly url: string;
  readonly init: RequestInit;
}

/** A browser tab: its URL, sessionStorage, navigation and network (answered by `answer`). */
function browserTab(
  href: string,
  answer: (sent: Sent) => Response = () => new Response('{}', { status: 200 }),
) {
  const storage = new Map<string, string>();
  const tab = {
    href,
    storage,
    navigations: [] as string[],
    replacedUrls: [] as string[],
    sent: [] as Sent[],
    now: START,
    seed: 1,
  };
  const env: BrowserEnvironment = {
    location: {
      get href() {
        return tab.href;
      },
      assign: (url) => {
        tab.navigations.push(url);
      },
    },
    history: { replaceState: (_data, _unused, url) => tab.replacedUrls.push(String(url)) },
    storage: {
      getItem: (key) => storage.get(key) ?? null,
      setItem: (key, value) => storage.set(key, value),
      removeItem: (key) => storage.delete(key),
    },
    fetch: async (url, init = {}) => {
      const sent = { url, init };
      tab.sent.push(sent);
      return answer(sent);
    },
    now: () => tab.now,
    random: (length) => Uint8Array.from({ length }, (_, i) => (i * 31 + tab.seed++) & 0xff),
  };
  return { tab, env };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const tokenAnswer = (suffix: string, withRefresh = true) =>
  json({
    id_token: `id-${suffix}`,
    access_token: `access-${suffix}`,
    ...(withRefresh ? { refresh_token: `refresh-${suffix}` } : {}),
    expires_in: 3600,
    token_type: 'Bearer',
  });
const headersOf = (sent: Sent | undefined) => (sent?.init.headers ?? {}) as Record<string, string>;
const formOf = (sent: Sent | undefined) => Object.fromEntries(new URLSearchParams(String(sent?.init.body)));

/** The tab after the hosted UI sent it back: the sign-in it started, then the code on its URL. */
async function cameBack(path: string, signIn: typeof signInCustomer, answer: (sent: Sent) => Response) {
  const first = browserTab(`${WEB}${path}`, answer);
  void signIn(config, first.env);
  await vi.waitFor(() => expect(first.tab.navigations).toHaveLength(1));
  const authorize = new URL(first.tab.navigations[0] ?? '');
  const page = new URL(authorize.searchParams.get('redirect_uri') ?? '');
  first.tab.href = `${page.href}${page.search ? '&' : '?'}code=the-code&state=${authorize.searchParams.get('state')}`;
  return { ...first, authorize };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('PKCE and the hosted UI requests (pure)', () => {
  it('derives the S256 challenge of RFC 7636 appendix B, and makes 43-character verifiers', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    const verifier = createVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createVerifier()).not.toBe(verifier);
    await expect(challengeOf('too-short')).rejects.toThrow(/43-128/);
  });

  it('asks for the code grant with the challenge, the state, the page to return to and the three scopes', () => {
    const url = new URL(
      authorizeUrl(
        { domain: `${HOSTED_UI}/`, clientId: 'webclient123', redirectUri: `${WEB}/agent` },
        { state: 's1', challenge: 'c1' },
      ),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${HOSTED_UI}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'webclient123',
      redirect_uri: `${WEB}/agent`,
      scope: 'openid email profile',
      state: 's1',
      code_challenge: 'c1',
      code_challenge_method: 'S256',
    });
  });

  it('reads the token answer: expiry from expires_in, the old refresh token kept on a refresh, errors as SignInError', () => {
    const first = parseTokenResponse(
      200,
      { id_token: 'i', access_token: 'a', refresh_token: 'r', expires_in: 3600, token_type: 'Bearer' },
      START,
    );
    expect(first).toEqual({
      idToken: 'i',
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: START + 3_600_000,
    });
    expect(
      parseTokenResponse(200, { id_token: 'i2', access_token: 'a2', expires_in: 60 }, START, first)
        .refreshToken,
    ).toBe('r');
    expect(() => parseTokenResponse(400, { error: 'invalid_grant' }, START)).toThrow(SignInError);
    expect(() => parseTokenResponse(400, { error: 'invalid_grant' }, START)).toThrow(/invalid_grant/);
    expect(() => parseTokenResponse(200, { access_token: 'a', expires_in: 60 }, START)).toThrow(/id_token/);
    expect(() => parseTokenResponse(502, undefined, START)).toThrow(/HTTP 502/);
  });
});

describe('signInCustomer: the chat signed in through the hosted UI', () => {
  it('sends a first visit to the hosted UI with a PKCE challenge of the verifier it keeps, and does not resolve', async () => {
    // Prepare
    const { tab, env } = browserTab(`${WEB}/`);
    let resolved = false;

    // Act
    void signInCustomer(config, env).then(() => {
      resolved = true;
    });
    await vi.waitFor(() => expect(tab.navigations).toHaveLength(1));

    // Assess
    const authorize = new URL(tab.navigations[0] ?? '');
    const pending = JSON.parse(tab.storage.get('refundHub:customer:signIn') ?? '{}');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${WEB}/`);
    expect(authorize.searchParams.get('state')).toBe(pending.state);
    expect(authorize.searchParams.get('code_challenge')).toBe(await challengeOf(pending.verifier));
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(tab.sent).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(resolved).toBe(false);
  });

  it('exchanges the code with its verifier, clears the code from the URL, and sends the ID token to the API', async () => {
    const back = await cameBack('/', signInCustomer, (sent) =>
      sent.url.endsWith('/oauth2/token') ? tokenAnswer('1') : json({ items: [] }),
    );
    const verifier = JSON.parse(back.tab.storage.get('refundHub:customer:signIn') ?? '{}').verifier;

    const api = await signInCustomer(config, back.env);
    const answer = await api('/v1/support-requests?limit=5', { headers: { 'Idempotency-Key': 'k1' } });

    const [exchange, call] = back.tab.sent;
    expect(exchange?.url).toBe(`${HOSTED_UI}/oauth2/token`);
    expect(exchange?.init.method).toBe('POST');
    expect(formOf(exchange)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'webclient123',
      code: 'the-code',
      redirect_uri: `${WEB}/`,
      code_verifier: verifier,
    });
    expect(back.tab.replacedUrls).toEqual(['/']);
    expect(back.tab.storage.has('refundHub:customer:signIn')).toBe(false);
    expect(JSON.parse(back.tab.storage.get('refundHub:customer:tokens') ?? '{}').idToken).toBe('id-1');
    expect(call?.url).toBe(`${API}/v1/support-requests?limit=5`);
    expect(call?.init.headers).toEqual({ authorization: 'id-1', 'idempotency-key': 'k1' });
    expect(answer.status).toBe(200);
  });

  it('refuses a code whose state is not the one this tab started, and never exchanges it', async () => {
    const back = await cameBack('/', signInCustomer, () => tokenAnswer('1'));
    back.tab.href = back.tab.href.replace(/state=[^&]+/, 'state=forged');

    await expect(signInCustomer(config, back.env)).rejects.toThrow(SignInError);
    expect(back.tab.sent).toEqual([]);
    expect(back.tab.replacedUrls).toEqual(['/']);
  });

  it('shows why the hosted UI sent the browser back without a code', async () => {
    const { env } = browserTab(`${WEB}/?error=access_denied&error_description=User+is+disabled.`);
    await expect(signInCustomer(config, env)).rejects.toThrow(/User is disabled\./);
  });

  it('renews an expiring ID token with the refresh token before calling, and retries a 401 once with new tokens', async () => {
    let issued = 1;
    const back = await cameBack('/', signInCustomer, (sent) => {
      if (sent.url.endsWith('/oauth2/token'))
        return tokenAnswer(String(issued++), formOf(sent).grant_type !== 'refresh_token');
      const auth = (sent.init.headers as Record<string, string>).authorization;
      return auth === 'id-2' ? json({ error: { code: 'unauthenticated' } }, 401) : json({ ok: true });
    });
    const api = await signInCustomer(config, back.env);

    // 59 minutes 30 seconds later the token has less than a minute left: renewed first (id-2), refused (401), renewed again.
    back.tab.now = START + 3_570_000;
    const answer = await api('/v1/messages');

    const grants = back.tab.sent.filter((s) => s.url.endsWith('/oauth2/token')).map((s) => formOf(s));
    expect(grants.map((g) => g.grant_type)).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
    expect(grants[1]?.refresh_token).toBe('refresh-1');
    // The refresh answer has no refresh token: the first one is kept and used again.
    expect(grants[2]?.refresh_token).toBe('refresh-1');
    const calls = back.tab.sent.filter((s) => s.url.startsWith(API));
    expect(calls.map((c) => (c.init.headers as Record<string, string>).authorization)).toEqual([
      'id-2',
      'id-3',
    ]);
    expect(answer.status).toBe(200);
  });

  it('goes back to the hosted UI when the refresh token is refused', async () => {
    const back = await cameBack('/', signInCustomer, (sent) =>
      formOf(sent).grant_type === 'refresh_token' ? json({ error: 'invalid_grant' }, 400) : tokenAnswer('1'),
    );
    const api = await signInCustomer(config, back.env);
    back.tab.navigations.length = 0;
    back.tab.now = START + 4 * 3_600_000;

    void api('/v1/messages');

    await vi.waitFor(() => expect(back.tab.navigations).toHaveLength(1));
    expect(back.tab.navigations[0]).toMatch(`${HOSTED_UI}/oauth2/authorize?`);
    expect(back.tab.storage.has('refundHub:customer:tokens')).toBe(false);
    expect(back.tab.sent.some((s) => s.url.startsWith(API))).toBe(false);
  });

  it('refuses a local or incomplete config.json with a message naming what is missing', async () => {
    const { env } = browserTab(`${WEB}/`);
    await expect(signInCustomer({ mode: 'local', apiUrl: '' }, env)).rejects.toThrow(/mode "local"/);
    await expect(signInCustomer({ ...config, cognitoDomain: '' }, env)).rejects.toThrow(
      /missing cognitoDomain/,
    );
  });

  it('signs out: forgets the tokens and leaves through the hosted UI logout back to the page', async () => {
    const back = await cameBack('/', signInCustomer, () => tokenAnswer('1'));
    await signInCustomer(config, back.env);
    back.tab.navigations.length = 0;

    signOut(config, 'customer', back.env);

    expect(back.tab.storage.has('refundHub:customer:tokens')).toBe(false);
    const logout = new URL(back.tab.navigations[0] ?? '');
    expect(`${logout.origin}${logout.pathname}`).toBe(`${HOSTED_UI}/logout`);
    expect(Object.fromEntries(logout.searchParams)).toEqual({
      client_id: 'webclient123',
      logout_uri: `${WEB}/`,
    });
  });
});

describe('signInAgent: the console with identity-pool credentials and SigV4', () => {
  /** The identity pool as the provider calls it: GetId, then GetCredentialsForIdentity, recorded. */
  function identityPool(tab: { now: number }) {
    const calls: Record<string, unknown>[] = [];
    let issued = 0;
    const client = {
      send: async (command: { input: Record<string, unknown> }) => {
        calls.push(command.input);
        if ('IdentityPoolId' in command.input) return { IdentityId: 'eu-west-1:agent-identity' };
        issued += 1;
        return {
          IdentityId: 'eu-west-1:agent-identity',
          Credentials: {
            AccessKeyId: `ASIAAGENT${issued}`,
            SecretKey: 'secret',
            SessionToken: `session-${issued}`,
            Expiration: new Date(tab.now + 3_600_000),
          },
        };
      },
    };
    return { client, calls };
  }

  it('gets credentials for the ID token from the identity pool and signs every API call with them', async () => {
    const back = await cameBack('/agent', signInAgent, (sent) =>
      sent.url.endsWith('/oauth2/token') ? tokenAnswer('agent') : json({ items: [] }),
    );
    expect(back.authorize.searchParams.get('redirect_uri')).toBe(`${WEB}/agent`);
    const pool = identityPool(back.tab);

    const api = await signInAgent(config, back.env, pool.client as never);
    const body = JSON.stringify({ decision: 'resolve' });
    await api('/v1/agent/cases?queue=billing');
    await api('/v1/agent/cases/case-0123456789abcdef0123456789abcdef/claim', {
      method: 'post',
      headers: { 'content-type': 'application/json' },
      body,
    });

    expect(pool.calls[0]).toEqual({
      IdentityPoolId: config.identityPoolId,
      Logins: { [userPoolLoginKey('eu-west-1', 'eu-west-1_AbCdEf123')]: 'id-agent' },
    });
    expect(pool.calls[1]).toMatchObject({
      IdentityId: 'eu-west-1:agent-identity',
      Logins: { 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123': 'id-agent' },
    });
    const [list, claim] = back.tab.sent.filter((s) => s.url.startsWith(API));
    const listHeaders = list?.init.headers as Record<string, string>;
    expect(list?.url).toBe(`${API}/v1/agent/cases?queue=billing`);
    expect(listHeaders.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAAGENT1\/20261202\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(listHeaders['x-amz-security-token']).toBe('session-1');
    expect(listHeaders.host).toBeUndefined();
    expect(claim?.init.method).toBe('POST');
    expect(claim?.init.body).toBe(body);
    expect(headersOf(claim).authorization).toContain('SignedHeaders=content-type;host;');
    // One set of credentials for both calls: they had an hour left.
    expect(pool.calls.filter((c) => 'IdentityId' in c)).toHaveLength(1);
  });

  it('renews the credentials when less than five minutes are left, and not before', async () => {
    const back = await cameBack('/agent', signInAgent, (sent) =>
      sent.url.endsWith('/oauth2/token') ? tokenAnswer('agent') : json({}),
    );
    const pool = identityPool(back.tab);
    const api = await signInAgent(config, back.env, pool.client as never);

    await api('/v1/agent/cases?queue=general');
    back.tab.now = START + 54 * 60_000;
    await api('/v1/agent/cases?queue=general');
    expect(pool.calls.filter((c) => 'IdentityId' in c)).toHaveLength(1);
    back.tab.now = START + 56 * 60_000;
    await api('/v1/agent/cases?queue=general');

    const renewals = pool.calls.filter((c) => 'IdentityId' in c);
    expect(renewals).toHaveLength(2);
    const last = back.tab.sent.filter((s) => s.url.startsWith(API)).at(-1);
    expect(headersOf(last).authorization).toContain('Credential=ASIAAGENT2/');
  });

  it('refuses a body it cannot sign byte for byte, and a config without an identity pool', async () => {
    const back = await cameBack('/agent', signInAgent, () => tokenAnswer('agent'));
    const api = await signInAgent(config, back.env, identityPool(back.tab).client as never);
    await expect(
      api('/v1/agent/cases/case-0123456789abcdef0123456789abcdef/claim', {
        method: 'POST',
        body: new URLSearchParams({ a: '1' }),
      }),
    ).rejects.toThrow(TypeError);
    await expect(
      signInAgent({ ...config, identityPoolId: undefined }, browserTab(`${WEB}/agent`).env),
    ).rejects.toThrow(/missing identityPoolId/);
  });
});

describe('renewingCredentials', () => {
  it('shares one renewal between concurrent callers and tries again after a failure', async () => {
    let now = 0;
    let calls = 0;
    const source = vi.fn(async () => {
      calls += 1;
      if (calls === 2) throw new Error('network');
      return { accessKeyId: `K${calls}`, secretAccessKey: 's', expiration: new Date(now + 600_000) };
    });
    const credentials = renewingCredentials(source, { now: () => now });

    const [a, b] = await Promise.all([credentials(), credentials()]);
    expect(a.accessKeyId).toBe('K1');
    expect(b.accessKeyId).toBe('K1');
    now = 400_000;
    await expect(credentials()).rejects.toThrow('network');
    expect((await credentials()).accessKeyId).toBe('K3');
    expect(source).toHaveBeenCalledTimes(3);
  });
});
