/** Intake rules: the request's schema, redaction, the idempotent case id and the execution input. Pure. */
import { createHash, randomUUID } from 'node:crypto';
import type { CallbackFollowUp, CaseRecord } from '../shared/case-record.js';
import { e164 } from '../shared/schemas.js';
import * as z from '../shared/zod.js';
import { redact, redactCardNumbers } from './redact.js';

/** A character a reader sees: a letter, digit, punctuation or symbol, not a blank filler (Hangul, braille). */
const VISIBLE = /(?![\u115f\u1160\u3164\uffa0\u2800])[\p{L}\p{N}\p{P}\p{S}]/u;

export function supportRequestSchema(maxMessageLength: number) {
  return z.strictObject({
    message: z.string({ error: 'message is required and must be a string' }).check(
      z.trim(),
      z.minLength(1, 'message must not be empty'),
      z.maxLength(maxMessageLength, `message must be at most ${maxMessageLength} characters`),
      z.refine((message) => VISIBLE.test(message), 'message must contain visible text'),
    ),
    orderId: z.optional(
      z.string().check(
        z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'orderId must be 1-64 letters, digits, "-" or "_"'),
        // A card number never leaves intake, whichever field it was typed into.
        z.refine(
          (id: string) => redactCardNumbers(id) === id,
          'orderId looks like a card number; send the order number instead',
        ),
      ),
    ),
    callbackPhone: z.optional(e164),
  });
}

export type SupportRequest = z.infer<ReturnType<typeof supportRequestSchema>>;

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The same customer and Idempotency-Key always give the same case id, which is also the execution
 * name: a retried request finds its case and Step Functions refuses a second execution.
 */
export function caseIdFor(customerId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return `case-${randomUUID().replaceAll('-', '')}`;
  return `case-${createHash('sha256').update(`${customerId}\n${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

export function fingerprint(request: SupportRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.message, request.orderId ?? null, request.callbackPhone ?? null]))
    .digest('hex');
}

export function newCaseRecord(
  caseId: string,
  customerId: string,
  request: SupportRequest,
  now: Date,
): CaseRecord {
  const at = now.toISOString();
  const { text, redacted } = redact(request.message);
  return {
    caseId,
    customerId,
    createdAt: at,
    updatedAt: at,
    requestedAt: at,
    status: 'received',
    message: text,
    orderId: request.orderId ?? null,
    callbackPhone: request.callbackPhone ?? null,
    requestFingerprint: fingerprint(request),
    timeline: [
      { at, step: 'received', ...(redacted ? { detail: 'sensitive data removed from the message' } : {}) },
    ],
  };
}

/** The state machine's input: built from the stored record, so a retry starts the identical execution. */
export function executionInput(record: CaseRecord) {
  return {
    caseId: record.caseId,
    customerId: record.customerId,
    message: record.message,
    orderId: record.orderId,
    callbackPhone: record.callbackPhone,
    requestedAt: record.requestedAt,
  };
}

/** The follow-up execution for a customer's callback request on an answered case. */
export function callbackFollowUp(record: CaseRecord, callbackPhone: string): CallbackFollowUp {
  return {
    kind: 'callback',
    executionName: `${record.caseId}-callback`,
    intent: record.intent ?? 'other',
    callbackPhone,
  };
}

/**
 * The execution a case is on, by name and input, from the stored record alone: the case's first
 * execution (named after the case), or its callback follow-up once one was recorded. Intake, the
 * callback endpoint and the sweeper all start executions from this, so a restart is identical.
 */
export function currentExecution(record: CaseRecord): {
  readonly name: string;
  readonly input: Record<string, unknown>;
} {
  const input = executionInput(record);
  const { followUp } = record;
  if (!followUp) return { name: record.caseId, input };
  return {
    name: followUp.executionName,
    input: {
      ...input,
      callbackPhone: followUp.callbackPhone,
      followUp: { kind: followUp.kind, intent: followUp.intent },
    },
  };
}
