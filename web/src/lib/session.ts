/**
 * Signing in. Locally (`mode: "local"`) the dev-only routes of the local runtime hand out the local tokens
 * (`/local/session?customer=` or `?agent=`); on AWS the Cognito sign-in of web/src/aws/session.ts does it, loaded only
 * when needed so the chat bundle stays small.
 */
import type { SignedFetch, WebConfig } from '../aws/contract';
import { ApiError } from './api';

export async function loadConfig(): Promise<WebConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  return (await response.json()) as WebConfig;
}

function bearerFetch(config: WebConfig, token: string): SignedFetch {
  return (path, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(`${config.apiUrl}${path}`, { ...init, headers });
  };
}

async function localToken(query: string): Promise<{ token: string; id: string }> {
  const response = await fetch(`/local/session?${query}`, { cache: 'no-store' });
  const body = (await response.json()) as {
    token?: string;
    customerId?: string;
    agentId?: string;
    error?: { code: string; message: string };
  };
  if (!response.ok || !body.token)
    throw new ApiError(
      response.status,
      body.error?.code ?? 'sign_in_failed',
      body.error?.message ?? 'Sign-in failed',
    );
  return { token: body.token, id: body.customerId ?? body.agentId ?? '' };
}

export interface Session {
  readonly fetch: SignedFetch;
  /** The customer or agent id locally; on AWS the identity is the token's and not shown. */
  readonly who: string | null;
}

export async function signInCustomer(config: WebConfig, customerId: string | null): Promise<Session | null> {
  if (config.mode === 'aws') {
    const aws = await import('../aws/session');
    return { fetch: await aws.signInCustomer(config), who: null };
  }
  if (!customerId) return null;
  const { token, id } = await localToken(`customer=${encodeURIComponent(customerId)}`);
  return { fetch: bearerFetch(config, token), who: id };
}

export async function signInAgent(config: WebConfig, agentId: string | null): Promise<Session | null> {
  if (config.mode === 'aws') {
    const aws = await import('../aws/session');
    return { fetch: await aws.signInAgent(config), who: null };
  }
  if (!agentId) return null;
  const { token, id } = await localToken(`agent=${encodeURIComponent(agentId)}`);
  return { fetch: bearerFetch(config, token), who: id };
}
