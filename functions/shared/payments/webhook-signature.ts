/**
 * Stripe's webhook signature, checked with node:crypto instead of the Stripe SDK (whose 246 KB would load at every
 * cold start only for this). Stripe's documented scheme (https://docs.stripe.com/webhooks#verify-manually): the
 * `Stripe-Signature` header is `t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]`; each v1 is the HMAC-SHA256, keyed
 * with the endpoint's signing secret, of `<t>.<raw body>`. Several v1 entries come while a secret is being rolled:
 * one match is enough. Other schemes (v0, test-mode extras) are ignored, as Stripe advises. Pure: no AWS, no clock
 * of its own (the caller passes `now`). test/unit/webhook-signature.test.ts checks it against the real SDK.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Stripe's default tolerance: a signature older (or, here, further ahead) than this is refused as a replay. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type SignatureProblem = 'signature_missing' | 'signature_invalid' | 'signature_stale';

export type SignatureCheck =
  | { readonly ok: true; readonly timestamp: number }
  /** `reason` names what was wrong for the log; it never carries the header, the body or the secret. */
  | { readonly ok: false; readonly problem: SignatureProblem; readonly reason: string };

export interface ParsedSignatureHeader {
  readonly timestamp: number;
  /** The v1 signatures, lower-case hex, in header order. */
  readonly v1: readonly string[];
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The header's timestamp and v1 signatures, or null when it has no well-formed `t` or no well-formed v1. */
export function parseSignatureHeader(header: string): ParsedSignatureHeader | null {
  let timestamp: number | undefined;
  const v1: string[] = [];
  for (const item of header.split(',')) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    const value = item.slice(at + 1).trim();
    if (key === 't') {
      // Two timestamps would leave it open which one was signed.
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      const hex = value.toLowerCase();
      if (HEX_SHA256.test(hex)) v1.push(hex);
    }
  }
  return timestamp === undefined || v1.length === 0 ? null : { timestamp, v1 };
}

/** The v1 signature Stripe makes for `payload` at `timestamp` with `secret` (hex). */
export function stripeSignature(payload: Uint8Array | string, timestamp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex');
}

export interface VerifyOptions {
  /** The `Stripe-Signature` header as received. */
  readonly header: string | undefined;
  /** The body exactly as received: the bytes Stripe signed, not a re-serialised object. */
  readonly payload: Uint8Array;
  /** The endpoint's signing secret (`whsec_…`), the whole string as Stripe shows it. */
  readonly secret: string;
  /** Seconds the timestamp may differ from `now`, either way; 0 skips the check (as the SDK's tolerance 0 does). */
  readonly toleranceSeconds: number;
  readonly now: Date;
}

/** Whether the delivery is signed by Stripe with `secret`, within the tolerance; never throws on bad input. */
export function verifyStripeSignature(options: VerifyOptions): SignatureCheck {
  const { header, payload, secret, toleranceSeconds, now } = options;
  if (!header?.trim())
    return { ok: false, problem: 'signature_missing', reason: 'no Stripe-Signature header' };
  // A blank secret would make an HMAC anyone can compute.
  if (!secret.trim())
    return { ok: false, problem: 'signature_invalid', reason: 'no signing secret configured' };
  const parsed = parseSignatureHeader(header);
  if (!parsed)
    return { ok: false, problem: 'signature_invalid', reason: 'header has no timestamp or no v1 signature' };
  const expected = Buffer.from(stripeSignature(payload, parsed.timestamp, secret), 'hex');
  // Every candidate is compared (no early exit), each in constant time; lengths are equal by the parse.
  let matched = false;
  for (const candidate of parsed.v1)
    matched = timingSafeEqual(expected, Buffer.from(candidate, 'hex')) || matched;
  if (!matched) return { ok: false, problem: 'signature_invalid', reason: 'no v1 signature matches' };
  // After the HMAC, as the SDK does: a stale answer is only given to a genuine (replayed) signature.
  const age = Math.floor(now.getTime() / 1000) - parsed.timestamp;
  if (toleranceSeconds > 0 && Math.abs(age) > toleranceSeconds)
    return {
      ok: false,
      problem: 'signature_stale',
      reason:
        age > 0 ? 'timestamp older than the tolerance' : 'timestamp ahead of the clock beyond the tolerance',
    };
  return { ok: true, timestamp: parsed.timestamp };
}
