/**
 * The carrier webhook's signature: `X-Carrier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` with
 * the shared secret (the shape Stripe uses). Verified on the raw body, in constant time, within a tolerance.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const CARRIER_SIGNATURE_HEADER = 'X-Carrier-Signature';

export function signCarrierPayload(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly problem: string };

export function verifyCarrierSignature(
  header: string | undefined,
  body: string,
  secret: string,
  nowUnixSeconds: number,
  toleranceSeconds: number,
): SignatureCheck {
  if (!header) return { ok: false, problem: `the ${CARRIER_SIGNATURE_HEADER} header is missing` };
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    if (!key || rest.length === 0) continue;
    parts.set(key, [...(parts.get(key) ?? []), rest.join('=')]);
  }
  const t = Number(parts.get('t')?.[0]);
  const signatures = parts.get('v1') ?? [];
  if (!Number.isInteger(t) || signatures.length === 0)
    return { ok: false, problem: `the ${CARRIER_SIGNATURE_HEADER} header must be t=<unix seconds>,v1=<hex>` };
  if (Math.abs(nowUnixSeconds - t) > toleranceSeconds)
    return { ok: false, problem: 'the signature is too old (or from the future): resend the event' };
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'), 'utf8');
  const matches = signatures.some((s) => {
    const given = Buffer.from(s, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true } : { ok: false, problem: 'the signature does not match the body' };
}
