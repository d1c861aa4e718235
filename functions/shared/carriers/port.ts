/**
 * The carrier port: where a return's prepaid label comes from. One adapter per carrier (`simulated.ts` for local
 * runs and tests), chosen by configuration (`CARRIER`) at module load; the handlers never know which.
 * A real carrier's adapter calls its label API with the return id as the idempotency key and sends its tracking
 * events to POST /v1/integrations/carrier/events, signed with the shared secret.
 */
import type { IsoInstant } from '../types.js';

export interface LabelRequest {
  /** Also the idempotency key: the same return always gets the same label, however often the step retries. */
  readonly returnId: string;
  readonly customerId: string;
  readonly orderId: string;
  readonly issuedAt: IsoInstant;
  readonly expiresAt: IsoInstant;
}

export interface IssuedLabel {
  readonly carrier: string;
  readonly trackingId: string;
  readonly labelUrl: string;
  readonly expiresAt: IsoInstant;
}

/** The carrier refused the label for good (an address it cannot serve): not worth a retry, a person looks at it. */
export class LabelRefused extends Error {
  override readonly name = 'LabelRefused';
}

export interface CarrierPort {
  readonly name: string;
  createLabel(request: LabelRequest): Promise<IssuedLabel>;
}
