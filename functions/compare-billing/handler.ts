import { chargeSchema, subscriptionSchema } from '../shared/schemas.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';
import { assessBilling } from './domain.js';

const eventSchema = z.object({
  subscriptions: z.array(subscriptionSchema),
  charges: z.array(chargeSchema),
});

/** Compares cancellation and charge dates: which charges are billing errors and what is refundable. */
export const handler = stepHandler(eventSchema, async ({ subscriptions, charges }) =>
  assessBilling(subscriptions, charges),
);
