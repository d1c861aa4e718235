/**
 * PLACEHOLDER owned by the `webcdk` branch, which replaces this file with the Cognito sign-in (hosted UI with PKCE,
 * identity-pool credentials, SigV4). It exists here only so the `webui` branch compiles against the contract; keep
 * webcdk's version when merging.
 */
import type { SignedFetch, WebConfig } from './contract';

const notHere = (): never => {
  throw new Error('AWS sign-in is not in this build: web/src/aws/session.ts comes from the webcdk branch.');
};

export async function signInCustomer(_config: WebConfig): Promise<SignedFetch> {
  return notHere();
}

export async function signInAgent(_config: WebConfig): Promise<SignedFetch> {
  return notHere();
}
