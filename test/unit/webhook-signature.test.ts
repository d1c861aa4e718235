/**
 * The node:crypto verifier against the real Stripe SDK as the oracle: the SDK signs (`generateTestHeaderString`)
 * and, where the two agree by design, the SDK's own `constructEvent` verdict is asserted next to ours.
 */
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  parseSignatureHeader,
  stripeSignature,
  verifyStripeSignature,
} from '../../functions/shared/payments/webhook-signature.js';

const SECRET = 'whsec_test_refund_hub_signing_secret';
const T0 = 1_773_576_000; // 2026-03-15T12:00:00Z
const at = (seconds: number) => new Date(seconds * 1000);
// Pretty-printed with non-ASCII text, as Stripe sends it: the bytes are what is signed.
const PAYLOAD = JSON.stringify(
  { id: 'evt_1', object: 'event', type: 'charge.succeeded', created: T0, note: 'Müller €5' },
  null,
  2,
);

const header = (options: { payload?: string; secret?: string; timestamp?: number } = {}) =>
  Stripe.webhooks.generateTestHeaderString({
    payload: options.payload ?? PAYLOAD,
    secret: options.secret ?? SECRET,
    timestamp: options.timestamp ?? T0,
  });

const ours = (
  signature: string | undefined,
  options: { payload?: string | Buffer; now?: number; tolerance?: number; secret?: string } = {},
) =>
  verifyStripeSignature({
    header: signature,
    payload: Buffer.from(options.payload ?? PAYLOAD),
    secret: options.secret ?? SECRET,
    toleranceSeconds: options.tolerance ?? 300,
    now: at(options.now ?? T0),
  });

/** The SDK's verdict on the same input: true, or the message of its StripeSignatureVerificationError. */
function sdk(
  signature: string,
  options: { payload?: string; now?: number; tolerance?: number; secret?: string } = {},
) {
  try {
    Stripe.webhooks.constructEvent(
      Buffer.from(options.payload ?? PAYLOAD),
      signature,
      options.secret ?? SECRET,
      options.tolerance ?? 300,
      undefined,
      (options.now ?? T0) * 1000,
    );
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('verifyStripeSignature, with the SDK as the oracle', () => {
  it('a header the SDK made verifies, as the SDK says', () => {
    const signature = header();
    expect(sdk(signature)).toBe(true);
    expect(ours(signature)).toEqual({ ok: true, timestamp: T0 });
  });

  it('our HMAC is the SDK v1 signature, byte for byte', () => {
    const signature = header();
    expect(signature).toBe(`t=${T0},v1=${stripeSignature(Buffer.from(PAYLOAD), T0, SECRET)}`);
  });

  it('a body changed after signing is signature_invalid', () => {
    const signature = header();
    const tampered = PAYLOAD.replace('€5', '€50');
    expect(sdk(signature, { payload: tampered })).toMatch(/No signatures found matching/);
    expect(ours(signature, { payload: tampered })).toMatchObject({ ok: false, problem: 'signature_invalid' });
  });

  it('a body re-serialised (same JSON, other whitespace) is signature_invalid', () => {
    const compact = JSON.stringify(JSON.parse(PAYLOAD));
    expect(sdk(header(), { payload: compact })).not.toBe(true);
    expect(ours(header(), { payload: compact })).toMatchObject({ ok: false, problem: 'signature_invalid' });
  });

  it('a signature made with another secret is signature_invalid', () => {
    const signature = header({ secret: 'whsec_someone_else' });
    expect(sdk(signature)).toMatch(/No signatures found matching/);
    expect(ours(signature)).toMatchObject({ ok: false, problem: 'signature_invalid' });
  });

  it.each([
    [299, { ok: true }],
    [300, { ok: true }],
    [301, { ok: false, problem: 'signature_stale' }],
    [86_400, { ok: false, problem: 'signature_stale' }],
  ] as const)('a good signature %i s old: %o, as the SDK says', (age, verdict) => {
    const signature = header();
    expect(sdk(signature, { now: T0 + age }) === true).toBe(verdict.ok);
    expect(ours(signature, { now: T0 + age })).toMatchObject(verdict);
  });

  it('a timestamp ahead of the clock: within the tolerance verifies, beyond it is stale (stricter than the SDK)', () => {
    const signature = header({ timestamp: T0 + 301 });
    // The SDK checks only the age; a signature from the future is a clock fault or a forgery kept for later.
    expect(sdk(signature)).toBe(true);
    expect(ours(signature)).toMatchObject({ ok: false, problem: 'signature_stale' });
    expect(ours(header({ timestamp: T0 + 300 }))).toMatchObject({ ok: true });
  });

  it('tolerance 0 skips the timestamp check, as the SDK does', () => {
    const signature = header();
    expect(sdk(signature, { now: T0 + 86_400, tolerance: 0 })).toBe(true);
    expect(ours(signature, { now: T0 + 86_400, tolerance: 0 })).toMatchObject({ ok: true });
  });

  it('a stale header signed with another secret is signature_invalid, not stale (the HMAC comes first)', () => {
    const signature = header({ secret: 'whsec_someone_else' });
    expect(ours(signature, { now: T0 + 1000 })).toMatchObject({ ok: false, problem: 'signature_invalid' });
  });

  it('secret rotation: any one of several v1 signatures may match, in any position', () => {
    const old = header({ secret: 'whsec_old_secret' }).split(',')[1] as string;
    const current = header().split(',')[1] as string;
    for (const signature of [`t=${T0},${old},${current}`, `t=${T0},${current},${old}`]) {
      expect(sdk(signature)).toBe(true);
      expect(ours(signature)).toMatchObject({ ok: true });
    }
    expect(ours(`t=${T0},${old}`)).toMatchObject({ ok: false, problem: 'signature_invalid' });
  });

  it('v0 and unknown schemes are ignored; a header with only those is invalid', () => {
    const signature = header();
    const v1 = signature.split(',')[1] as string;
    expect(ours(`t=${T0},v0=${'0'.repeat(64)},${v1},x=1`)).toMatchObject({ ok: true });
    const onlyV0 = `t=${T0},v0=${v1.slice(3)}`;
    expect(sdk(onlyV0)).toMatch(/No signatures found with expected scheme/);
    expect(ours(onlyV0)).toMatchObject({ ok: false, problem: 'signature_invalid' });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
  ])('a %s header is signature_missing', (_label, value) => {
    expect(ours(value)).toMatchObject({ ok: false, problem: 'signature_missing' });
    expect(ours(undefined)).toMatchObject({ ok: false, problem: 'signature_missing' });
  });

  it.each([
    ['no timestamp', (v1: string) => v1],
    ['no v1', () => `t=${T0}`],
    ['a timestamp that is not a number', (v1: string) => `t=soon,${v1}`],
    ['two timestamps', (v1: string) => `t=${T0},t=${T0 + 1},${v1}`],
    ['a v1 that is not 64 hex digits', (v1: string) => `t=${T0},${v1.slice(0, -2)}`],
    ['a v1 with a non-hex digit', (v1: string) => `t=${T0},${v1.slice(0, -1)}g`],
    ['garbage', () => 'garbage'],
    ['separators only', () => ',,=,'],
  ] as const)('a header with %s is signature_invalid and does not throw', (_label, make) => {
    const v1 = header().split(',')[1] as string;
    expect(ours(make(v1))).toMatchObject({ ok: false, problem: 'signature_invalid' });
  });

  it('a blank signing secret verifies nothing, even a header made with it', () => {
    const signature = `t=${T0},v1=${stripeSignature(Buffer.from(PAYLOAD), T0, '')}`;
    expect(sdk(signature, { secret: '' })).toMatch(/No webhook secret/);
    expect(ours(signature, { secret: ' ' })).toMatchObject({ ok: false, problem: 'signature_invalid' });
  });

  it('upper-case hex and spaces around items are read as Stripe writes them', () => {
    const [t, v1] = header().split(',') as [string, string];
    expect(ours(`${t}, v1=${v1.slice(3).toUpperCase()}`)).toMatchObject({ ok: true });
  });

  it('the raw bytes are verified, not a decoded copy', () => {
    // Latin-1 bytes Stripe never sends: signed as bytes they verify; the same text as UTF-8 does not.
    const bytes = Buffer.from('{"id":"evt_1","note":"caf\xe9"}', 'latin1');
    const signature = `t=${T0},v1=${stripeSignature(bytes, T0, SECRET)}`;
    expect(ours(signature, { payload: bytes })).toMatchObject({ ok: true });
    expect(ours(signature, { payload: bytes.toString('latin1') })).toMatchObject({ ok: false });
  });
});

describe('parseSignatureHeader', () => {
  it('reads the timestamp and every v1, in order', () => {
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    expect(parseSignatureHeader(`t=${T0},v1=${a},v0=${b},v1=${b}`)).toEqual({ timestamp: T0, v1: [a, b] });
  });
});
