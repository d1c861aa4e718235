/**
 * Resolution helpers kept for scripts and the LocalStack test: the API base on LocalStack, and one
 * signed `POST /v1/agent/cases/{caseId}/resolution` (the CLI's own agent calls go through cli/agent.ts).
 */
import { type AgentApi, type ApiAnswer, type ResolutionRequest, signedAgentApi } from './agent.js';
import type { SigningCredentials } from './signed.js';

/** `<base>agent/cases/<caseId>/resolution`, whatever the base's trailing slash. */
export function resolutionUrl(apiUrl: string, caseId: string): string {
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  return new URL(resolutionPath(caseId), base).toString();
}

export const resolutionPath = (caseId: string) => `agent/cases/${encodeURIComponent(caseId)}/resolution`;

/**
 * The stack's `ApiUrl` output on LocalStack names an AWS host (`<id>.execute-api.<region>.amazonaws.com`)
 * that does not resolve; LocalStack serves the stage at `<endpoint>/restapis/<id>/<stage>/_user_request_/`.
 */
export function localstackApiUrl(apiUrl: string, endpoint: string): string {
  const url = new URL(apiUrl);
  const apiId = url.hostname.split('.')[0];
  const stage = url.pathname.split('/').filter(Boolean)[0] ?? 'v1';
  return `${endpoint.replace(/\/+$/, '')}/restapis/${apiId}/${stage}/_user_request_/`;
}

/** On AWS or LocalStack: the resolution SigV4-signed for `execute-api` (a refusal throws an ApiRefusal). */
export function resolveSigned(
  apiUrl: string,
  caseId: string,
  body: ResolutionRequest,
  credentials: SigningCredentials,
  region: string,
): Promise<ApiAnswer> {
  const api: AgentApi = signedAgentApi(apiUrl, async () => credentials, region);
  return api.request('POST', resolutionPath(caseId), body);
}
