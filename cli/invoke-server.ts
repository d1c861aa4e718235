/**
 * `invoke --local` with a local server running (`npm start`): the case goes through the server's own
 * API, `POST /v1/support-requests` with the demo customer's token from the state file, so it lives in
 * the server (its executions, its agents) instead of in a second runtime that stops with the command.
 */
import type { CaseRecord } from '../functions/shared/case-record.js';
import { type ApiAnswer, apiSend } from './agent.js';
import type { InvokeRequest } from './cases.js';
import { CliError } from './errors.js';
import { executionArnOf, type LocalServerState } from './local.js';

export interface ServerCase {
  readonly caseId: string;
  readonly executionArn: string;
  /** The customer's view of the case (GET /v1/support-requests/{caseId}): its status and outcome. */
  readCase(): Promise<CaseRecord | undefined>;
}

function customerToken(state: LocalServerState, customerId: string): string {
  const token = state.customerTokens?.[customerId];
  if (token) return token;
  const known = Object.keys(state.customerTokens ?? {});
  throw new CliError(
    known.length > 0
      ? `${customerId} is not a demo customer of the running local server (${known.join(', ')}): it holds tokens for those only.`
      : 'The running local server published no customer tokens: restart it with npm start (a newer version).',
  );
}

const urlOf = (state: LocalServerState, path: string) =>
  new URL(path, state.apiUrl.endsWith('/') ? state.apiUrl : `${state.apiUrl}/`);

export async function invokeOnServer(state: LocalServerState, request: InvokeRequest): Promise<ServerCase> {
  if (!state.stateMachineArn)
    throw new CliError('The running local server published no state machine ARN: restart it with npm start.');
  const token = customerToken(state, request.customerId);
  const { customerId: _, ...body } = request;
  const answer: ApiAnswer = await apiSend(
    urlOf(state, 'support-requests'),
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
    'Support request',
  );
  const caseId = String(answer.body.caseId ?? '');
  if (!caseId) throw new CliError('The local server accepted the request but named no case.');
  return {
    caseId,
    executionArn: executionArnOf(state.stateMachineArn, caseId),
    readCase: async () => {
      const view = await apiSend(
        urlOf(state, `support-requests/${encodeURIComponent(caseId)}`),
        { headers: { authorization: `Bearer ${token}` } },
        'Case lookup',
      );
      return view.body as unknown as CaseRecord;
    },
  };
}
