import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { CARRIER_EVENTS, endsWait, FINAL_STATUSES } from '../returns-core/domain.js';
import { inTransitNotice } from '../returns-core/notices.js';
import { CARRIER_SIGNATURE_HEADER, verifyCarrierSignature } from '../returns-core/signature.js';
import {
  changeStatus,
  claimToken,
  notifyCustomer,
  recordCarrierEvent,
  returnByTrackingId,
} from '../returns-core/store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { isTaskGone } from '../shared/errors.js';
import { HttpError, header, httpHandler, json } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import { instant } from '../shared/schemas.js';
import { secretFromEnv } from '../shared/secrets.js';
import { sfnClient } from '../shared/sfn-client.js';
import * as z from '../shared/zod.js';

const returnsTable = requiredEnv(ENV.returnsTable);
const messagesTable = requiredEnv(ENV.messagesTable);
const toleranceSeconds = numberEnv(ENV.carrierWebhookToleranceSeconds, 300);

const eventSchema = z.strictObject({
  eventId: z
    .string()
    .check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'eventId must be 1-128 letters, digits or _.:-')),
  trackingId: z
    .string()
    .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'trackingId must be 1-64 letters, digits, "-" or "_"')),
  event: z.enum(CARRIER_EVENTS, { error: `event must be one of ${CARRIER_EVENTS.join(', ')}` }),
  at: instant,
});

/**
 * POST /v1/integrations/carrier/events: a carrier's tracking event, signed with the shared secret over the raw
 * body. Stored on the return once per event id; the waiting workflow step is resumed by whoever of this handler
 * and the wait step sees both the event and the wait's token (functions/returns-wait). Nothing else moves money.
 */
export const handler = httpHandler(async (event) => {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  const secret = await secretFromEnv(ENV.carrierWebhookSecretArn, ENV.carrierWebhookSecret);
  const check = verifyCarrierSignature(
    header(event, CARRIER_SIGNATURE_HEADER),
    raw,
    secret,
    Math.floor(Date.now() / 1000),
    toleranceSeconds,
  );
  if (!check.ok) throw new HttpError(400, 'invalid_signature', check.problem);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  const parsed = eventSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(
      400,
      'invalid_request',
      `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid event'}`,
    );
  }
  const carrierEvent = parsed.data;
  const found = await returnByTrackingId(documentClient, returnsTable, carrierEvent.trackingId);
  if (!found) throw new HttpError(404, 'unknown_tracking_id', 'No return has a label with this tracking id.');

  const receivedAt = new Date().toISOString();
  const { recorded, record } = await recordCarrierEvent(documentClient, returnsTable, found.returnId, {
    eventId: carrierEvent.eventId,
    event: carrierEvent.event,
    at: carrierEvent.at,
    receivedAt,
  });
  if (!recorded || !record) return json(200, { received: true, duplicate: true, returnId: found.returnId });

  if (!FINAL_STATUSES.includes(record.status)) {
    const moved = await changeStatus(documentClient, returnsTable, {
      returnId: record.returnId,
      status: 'in_transit',
      at: receivedAt,
      note: `Carrier: ${carrierEvent.event} at ${carrierEvent.at}.`,
      from: ['label_created'],
    });
    if (moved.changed && moved.record)
      await notifyCustomer(
        documentClient,
        messagesTable,
        record,
        inTransitNotice(moved.record),
        'in_transit',
        receivedAt,
      );
  }
  // The wait step stored its token before this event: resume it (exactly one of us claims the token).
  const token = record.waitToken;
  if (token && record.waitFor && endsWait(record.waitFor, carrierEvent.event)) {
    if (await claimToken(documentClient, returnsTable, record.returnId, 'waitToken', token)) {
      try {
        await sfnClient.send(
          new SendTaskSuccessCommand({
            taskToken: token,
            output: JSON.stringify({
              eventId: carrierEvent.eventId,
              event: carrierEvent.event,
              at: carrierEvent.at,
            }),
          }),
        );
      } catch (error) {
        // The wait is over (expired, stopped): the event stays recorded on the return, nothing else to do.
        if (!isTaskGone(error)) throw error;
        logger.warn('A carrier event arrived after its wait ended', { returnId: record.returnId });
      }
    }
  }
  return json(202, { received: true, duplicate: false, returnId: record.returnId });
});
