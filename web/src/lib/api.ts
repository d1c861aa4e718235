/** Calls to the Refund Hub API through the signed-in fetch: JSON in and out, a 4xx as an ApiError with its code. */
import type { SignedFetch } from '../aws/contract';
import type { ApiErrorBody } from './types';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function call<T>(
  fetcher: SignedFetch,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetcher(path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = (body as ApiErrorBody | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `HTTP ${response.status}`,
    );
  }
  return body as T;
}

/** A fresh key per send: a retried send of the same message reuses it, a new message never does. */
export const idempotencyKey = () => crypto.randomUUID();

export const errorText = (error: unknown) =>
  error instanceof ApiError ? `${error.message} (${error.code})` : `Something went wrong: ${String(error)}`;
