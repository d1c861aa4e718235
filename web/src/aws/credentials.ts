/**
 * An agent's AWS credentials: the identity pool exchanges their ID token for temporary credentials of the role
 * their token names (the `agents` group's), renewed before they expire.
 */
import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity';
import type { AwsCredentials } from './sigv4.js';

/** Renew this long before the credentials expire, so no request is signed with credentials about to lapse. */
export const RENEW_BEFORE_MS = 5 * 60_000;

/** The identity pool's login key for a user pool: `cognito-idp.<region>.amazonaws.com/<user pool id>`. */
export function userPoolLoginKey(region: string, userPoolId: string): string {
  return `cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/**
 * The last credentials while they have more than `renewBeforeMs` left, else new ones; concurrent callers share
 * one renewal. A failed renewal is not kept, so the next call tries again.
 */
export function renewingCredentials(
  fetchCredentials: () => Promise<AwsCredentials>,
  options: { readonly now?: () => number; readonly renewBeforeMs?: number } = {},
): () => Promise<AwsCredentials> {
  const now = options.now ?? Date.now;
  const renewBeforeMs = options.renewBeforeMs ?? RENEW_BEFORE_MS;
  let current: Promise<AwsCredentials> | undefined;
  let expiresAt = 0;
  return async () => {
    if (current && now() < expiresAt - renewBeforeMs) return current;
    const pending = fetchCredentials().then(
      (credentials) => {
        // Credentials without an expiration are used once, then asked for again.
        expiresAt = credentials.expiration?.getTime() ?? 0;
        return credentials;
      },
      (error: unknown) => {
        if (current === pending) current = undefined;
        throw error;
      },
    );
    current = pending;
    expiresAt = Number.POSITIVE_INFINITY;
    return pending;
  };
}

/** The client the provider sends GetId and GetCredentialsForIdentity with (injected in tests). */
export type CognitoIdentityClientLike = Parameters<typeof fromCognitoIdentityPool>[0]['client'];

export interface AgentCredentialsOptions {
  readonly region: string;
  readonly userPoolId: string;
  readonly identityPoolId: string;
  /** The current ID token, refreshed by the session when it is about to expire. */
  readonly idToken: () => Promise<string>;
  readonly client?: CognitoIdentityClientLike;
  readonly now?: () => number;
}

export function agentCredentials(options: AgentCredentialsOptions): () => Promise<AwsCredentials> {
  const provider = fromCognitoIdentityPool({
    identityPoolId: options.identityPoolId,
    logins: { [userPoolLoginKey(options.region, options.userPoolId)]: options.idToken },
    ...(options.client ? { client: options.client } : { clientConfig: { region: options.region } }),
  });
  return renewingCredentials(() => provider(), options.now ? { now: options.now } : {});
}
