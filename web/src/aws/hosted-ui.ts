/**
 * The Cognito hosted UI's OAuth 2.0 endpoints for a public client: the authorize URL (code grant with PKCE), the
 * token endpoint's form bodies, and its answers. Pure: no storage, no network.
 */

export const SCOPES = ['openid', 'email', 'profile'] as const;

export interface HostedUiClient {
  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  readonly domain: string;
  readonly clientId: string;
  /** The page the hosted UI sends the browser back to: one of the app client's callback URLs. */
  readonly redirectUri: string;
}

export interface Tokens {
  /** Sent as `Authorization` to the customer routes (the API's Cognito authorizer) and to the identity pool. */
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** When the ID and access tokens expire (ms since the epoch). */
  readonly expiresAt: number;
}

/** A sign-in that cannot go on: the message says what happened, for the page to show. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
}

const endpoint = (client: HostedUiClient, path: string) => `${client.domain.replace(/\/+$/, '')}${path}`;

export function authorizeUrl(
  client: HostedUiClient,
  request: { readonly state: string; readonly challenge: string },
): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: SCOPES.join(' '),
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
  });
  return `${endpoint(client, '/oauth2/authorize')}?${query}`;
}

export const tokenUrl = (client: HostedUiClient) => endpoint(client, '/oauth2/token');

/** The authorization code exchanged for tokens, with the verifier only this tab has. */
export function codeExchangeBody(client: HostedUiClient, code: string, verifier: string): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: client.clientId,
    code,
    redirect_uri: client.redirectUri,
    code_verifier: verifier,
  });
}

export function refreshBody(client: HostedUiClient, refreshToken: string): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: client.clientId,
    refresh_token: refreshToken,
  });
}

/** The hosted UI's sign-out: ends its session cookie, then back to the page. */
export function logoutUrl(client: HostedUiClient): string {
  const query = new URLSearchParams({ client_id: client.clientId, logout_uri: client.redirectUri });
  return `${endpoint(client, '/logout')}?${query}`;
}

/**
 * The token endpoint's JSON answer. A refresh answers without a refresh token: the previous one stays valid.
 * `{ error }` (invalid_grant: a used or expired code, a revoked refresh token) is a SignInError.
 */
export function parseTokenResponse(status: number, body: unknown, now: number, previous?: Tokens): Tokens {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (status < 200 || status >= 300 || typeof fields.error === 'string') {
    const why = typeof fields.error_description === 'string' ? fields.error_description : fields.error;
    throw new SignInError(`Sign-in was refused (${typeof why === 'string' ? why : `HTTP ${status}`}).`);
  }
  const { id_token, access_token, refresh_token, expires_in, token_type } = fields;
  if (typeof id_token !== 'string' || typeof access_token !== 'string' || typeof expires_in !== 'number')
    throw new SignInError(
      'Sign-in answered without the tokens it should have (id_token, access_token, expires_in).',
    );
  if (typeof token_type === 'string' && token_type.toLowerCase() !== 'bearer')
    throw new SignInError(`Sign-in answered with tokens of type ${token_type}, not Bearer.`);
  const refreshToken = typeof refresh_token === 'string' ? refresh_token : previous?.refreshToken;
  return {
    idToken: id_token,
    accessToken: access_token,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: now + expires_in * 1000,
  };
}

/** What the hosted UI put on the page's URL when it sent the browser back, if it did. */
export type Callback =
  | { readonly kind: 'code'; readonly code: string; readonly state: string }
  | { readonly kind: 'error'; readonly message: string };

export function callbackOf(url: URL): Callback | undefined {
  const error = url.searchParams.get('error');
  if (error) return { kind: 'error', message: url.searchParams.get('error_description') ?? error };
  const code = url.searchParams.get('code');
  if (code) return { kind: 'code', code, state: url.searchParams.get('state') ?? '' };
  return undefined;
}

/** The page's URL without the hosted UI's parameters (so a reload or a bookmark does not replay the code). */
export function withoutCallback(url: URL): string {
  const clean = new URL(url.href);
  for (const name of ['code', 'state', 'error', 'error_description']) clean.searchParams.delete(name);
  return `${clean.pathname}${clean.search}${clean.hash}`;
}
