/** The real `stripe` SDK pointed at an emulator, as tests and tools use it. */
import Stripe from 'stripe';
import type { StripeEmulator } from './server.js';

export function stripeClientFor(
  emulator: Pick<StripeEmulator, 'apiKey' | 'host' | 'port'>,
  config: Stripe.StripeConfig = {},
): Stripe {
  return new Stripe(emulator.apiKey, {
    host: emulator.host,
    port: emulator.port,
    protocol: 'http',
    ...config,
  });
}
