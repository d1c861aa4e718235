/**
 * The admin API (`/v1/admin/...`, IAM-authorized, admin role) from scripts: the running local
 * server with its admin token (`--local`), an API base URL signed with SigV4 and the default
 * credential chain (`--endpoint URL`), or the deployed stack's `ApiUrl` output (neither; on
 * LocalStack when AWS_ENDPOINT_URL is set, as for the refund-hub CLI).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { clientConfig, connectionFrom, requiredOutput } from './aws.js';
import { CliError } from './errors.js';
import { LOCAL_STATE_FILE, readLocalServerState } from './local.js';
import { localstackApiUrl } from './resolve.js';
import { type ApiAnswer, type CallerApi, signedInit } from './signed.js';

export type AdminResponse = ApiAnswer;
/** The admin routes; any answer is returned, the caller reads its status. */
export type AdminApi = CallerApi;

export interface AdminTargetOptions {
  readonly local?: boolean;
  readonly endpoint?: string;
  readonly stack?: string;
  /** @default .refund-hub-local.json at the repository root */
  readonly stateFile?: string;
}

function urlOf(apiUrl: string, path: string): URL {
  return new URL(path, apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
}

async function send(url: URL, init: RequestInit): Promise<AdminResponse> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    const cause = ((error as Error).cause ?? error) as Error;
    throw new CliError(`Could not reach ${url.origin}: ${cause.message ?? String(cause)}`);
  }
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { message: text.slice(0, 200) };
  }
  return { status: response.status, body };
}

/** The local server (`npm start`): its admin token stands in for the operators' IAM role. */
export function localAdminApi(state: { readonly apiUrl: string; readonly adminToken?: string }): AdminApi {
  const { adminToken } = state;
  if (!adminToken)
    throw new CliError(
      'The local server published no admin token: restart it with npm start (a newer version).',
    );
  return {
    target: `the local server at ${state.apiUrl}`,
    request: (method, path, body) =>
      send(urlOf(state.apiUrl, path), {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
  };
}

/** `https://<id>.execute-api.<region>.amazonaws.com/v1/` names its region. */
export function regionOfApiUrl(apiUrl: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/i.exec(new URL(apiUrl).hostname)?.[1];
}

/** Any API base URL, SigV4-signed for `execute-api` with the default credential chain. */
export function signedAdminApi(apiUrl: string, sdk = new CloudFormationClient({})): AdminApi {
  return {
    target: apiUrl,
    request: async (method, path, body) => {
      const url = urlOf(apiUrl, path);
      const region =
        regionOfApiUrl(apiUrl) ??
        process.env.AWS_REGION ??
        process.env.AWS_DEFAULT_REGION ??
        (await sdk.config.region());
      return send(url, await signedInit(method, url, body, await sdk.config.credentials(), region));
    },
  };
}

/** `--local`, `--endpoint URL`, or the stack's ApiUrl output (`--stack`, default RefundHub). */
export async function adminApiFrom(options: AdminTargetOptions): Promise<AdminApi> {
  if (options.local && options.endpoint) throw new CliError('Give --local or --endpoint, not both.', 2);
  if (options.local) return localAdminApi(readLocalServerState(options.stateFile ?? LOCAL_STATE_FILE));
  if (options.endpoint) {
    try {
      new URL(options.endpoint);
    } catch {
      throw new CliError(
        `--endpoint must be the API's base URL, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/v1/`,
        2,
      );
    }
    return signedAdminApi(options.endpoint);
  }
  // AWS, or LocalStack when AWS_ENDPOINT_URL is set (whose ApiUrl output names a host that does not resolve).
  const connection = connectionFrom(options.stack ? { stack: options.stack } : {});
  const cloudformation = new CloudFormationClient(clientConfig(connection));
  let apiUrl = await requiredOutput(cloudformation, connection.stackName, 'ApiUrl');
  if (connection.kind === 'localstack' && connection.endpoint)
    apiUrl = localstackApiUrl(apiUrl, connection.endpoint);
  return signedAdminApi(apiUrl, cloudformation);
}

/** `400 invalid_request: charges[0].chargedAt: ...` from an error answer. */
export function describeFailure(response: AdminResponse): string {
  const error = (response.body.error ?? response.body) as {
    code?: string;
    message?: string;
    Message?: string;
  };
  const message = error.message ?? error.Message ?? '';
  return `${response.status}${error.code ? ` ${error.code}` : ''}${message ? `: ${message}` : ''}`;
}

/** The flags every admin command takes: where the API is. */
const ADMIN_TARGET_FLAGS = {
  local: { type: 'boolean' },
  endpoint: { type: 'string' },
  stack: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = NonNullable<ParseArgsConfig['options']>;

/** The command's flags and the target flags; a bad flag is a usage error (exit 2) with the usage line. */
export function parseAdminArgs<const O extends Flags>(
  argv: string[],
  options: O,
  usage: string,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals,
      strict: true,
      options: { ...ADMIN_TARGET_FLAGS, ...options },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${usage}`, 2);
  }
}

/** The admin API the target flags name: --local, --endpoint URL, else the stack's ApiUrl (--stack). */
export function adminApiForFlags(values: {
  local?: boolean;
  endpoint?: string;
  stack?: string;
}): Promise<AdminApi> {
  return adminApiFrom({
    ...(values.local ? { local: true } : {}),
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(values.stack ? { stack: values.stack } : {}),
  });
}
