/**
 * The `simulated` carrier: issues tracking ids and label URLs without calling anyone. Deterministic per return, so
 * a retried label step gets the label it already has. Events come from `npm run carrier -- scan <trackingId>`.
 */
import { createHash } from 'node:crypto';
import type { CarrierPort } from './port.js';

export const SIMULATED_LABEL_BASE = 'https://labels.carrier.invalid';

export const simulatedCarrier: CarrierPort = {
  name: 'simulated',
  createLabel: async (request) => {
    const digits = BigInt(`0x${createHash('sha256').update(request.returnId).digest('hex').slice(0, 15)}`)
      .toString()
      .padStart(18, '0')
      .slice(0, 18);
    const trackingId = `SIM${digits}`;
    return {
      carrier: 'simulated',
      trackingId,
      labelUrl: `${SIMULATED_LABEL_BASE}/${trackingId}.pdf`,
      expiresAt: request.expiresAt,
    };
  },
};
