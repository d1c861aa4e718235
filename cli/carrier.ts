/**
 * `npm run carrier -- scan <trackingId> [event]`: plays the carrier against the running local server (npm start).
 * The event is signed exactly as a carrier signs it (functions/returns-core/signature.ts, the shared secret:
 * CARRIER_WEBHOOK_SECRET, else the embedded runtime's) and posted to POST /v1/integrations/carrier/events.
 */
import { randomUUID } from 'node:crypto';
import { CARRIER_EVENTS, type CarrierEventName } from '../functions/returns-core/domain.js';
import { CARRIER_SIGNATURE_HEADER, signCarrierPayload } from '../functions/returns-core/signature.js';
import { LOCAL_CARRIER_SECRET } from '../local/carrier-secret.js';
import { apiSend } from './agent.js';
import { UsageError } from './errors.js';
import type { ApiAnswer } from './signed.js';

/** POLICY.md v2 Returns: the first carrier scan is `first_scan` (any scan counts as the first). */
export const DEFAULT_CARRIER_EVENT: CarrierEventName = 'first_scan';

export interface CarrierScan {
  readonly trackingId: string;
  readonly event: CarrierEventName;
  readonly eventId: string;
  readonly at: string;
}

/** The scan as the webhook takes it; bad arguments are a usage error before any request. */
export function carrierScan(
  trackingId: string,
  event: string | undefined,
  now: Date,
  eventId?: string,
): CarrierScan {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(trackingId))
    throw new UsageError(`trackingId must be 1-64 letters, digits, "-" or "_", got ${trackingId}`);
  const name = event ?? DEFAULT_CARRIER_EVENT;
  if (!(CARRIER_EVENTS as readonly string[]).includes(name))
    throw new UsageError(`event must be one of ${CARRIER_EVENTS.join(', ')}, got ${name}`);
  if (eventId !== undefined && !/^[A-Za-z0-9_.:-]{1,128}$/.test(eventId))
    throw new UsageError('--event-id must be 1-128 letters, digits or _.:-');
  return {
    trackingId,
    event: name as CarrierEventName,
    eventId: eventId ?? `evt-cli-${randomUUID()}`,
    at: now.toISOString(),
  };
}

/** The body and its X-Carrier-Signature, signed with the shared secret at `now`. */
export function signedCarrierRequest(
  scan: CarrierScan,
  secret: string,
  now: Date,
): { body: string; signature: string } {
  const body = JSON.stringify(scan);
  return { body, signature: signCarrierPayload(secret, body, Math.floor(now.getTime() / 1000)) };
}

/** The secret the local server verifies with: CARRIER_WEBHOOK_SECRET, else the embedded runtime's default. */
export function carrierSecret(env: NodeJS.ProcessEnv): string {
  return env.CARRIER_WEBHOOK_SECRET ?? LOCAL_CARRIER_SECRET;
}

/** Posts the signed scan; a 4xx/5xx throws an ApiRefusal (404 unknown_tracking_id, 400 invalid_signature...). */
export async function postCarrierScan(
  apiUrl: string,
  scan: CarrierScan,
  secret: string,
  now: Date,
): Promise<ApiAnswer> {
  const { body, signature } = signedCarrierRequest(scan, secret, now);
  const url = new URL('integrations/carrier/events', apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  return apiSend(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CARRIER_SIGNATURE_HEADER]: signature },
      body,
    },
    'Carrier event',
  );
}

/** What the user reads: recorded (the workflow resumes when it waits for this event) or a duplicate. */
export function carrierScanLines(scan: CarrierScan, answer: ApiAnswer): string[] {
  const returnId = String(answer.body.returnId ?? '?');
  if (answer.body.duplicate === true)
    return [
      `${scan.event} for ${scan.trackingId} (return ${returnId}): already received (event ${scan.eventId}); nothing changed`,
    ];
  return [
    `${scan.event} for ${scan.trackingId} (return ${returnId}) received (${answer.status}, event ${scan.eventId})`,
    `  see the return with: GET /v1/returns/${returnId} (or npm run agent -- returns)`,
  ];
}
