/** Opaque page tokens: a DynamoDB page key as base64url JSON, checked whole against its schema when it comes back. */
import { HttpError } from './http.js';
import type * as z from './zod.js';

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/** The page key of a token this API returned; anything else (another customer's, tampered) is a 400. */
export function decodeCursor<T extends Record<string, unknown>>(
  token: string | undefined,
  schema: z.ZodMiniType<T>,
): T | undefined {
  if (!token) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const parsed = schema.safeParse(key);
  if (!parsed.success)
    throw new HttpError(400, 'invalid_cursor', 'nextToken is not a cursor this API returned.');
  return parsed.data;
}

/** `limit` from the query string: a whole number from 1 to `max`, else a 400. */
export function pageLimit(raw: string | undefined, fallback: number, max: number): number {
  const limit = Number(raw ?? fallback);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new HttpError(400, 'invalid_limit', `limit must be a whole number from 1 to ${max}.`);
  return limit;
}
