/** The local Stripe emulator (see server.ts): start it, seed it, point the real SDK at it. */
export { stripeClientFor } from './client.js';
export type { ChargeBehaviours, EmulatedEvent, SeedChargeInput, SeedCustomerInput } from './objects.js';
export { accountWithStripe, seedAccountIntoStripe } from './seed.js';
export {
  type Fault,
  type StripeEmulator,
  type StripeEmulatorOptions,
  startStripeEmulator,
} from './server.js';
export { signatureHeader } from './webhooks.js';
