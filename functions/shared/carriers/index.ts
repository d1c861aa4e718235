/** The configured carrier (`CARRIER`, default `simulated`), chosen once per process. */
import { ENV } from '../env.js';
import type { CarrierPort } from './port.js';
import { simulatedCarrier } from './simulated.js';

const CARRIERS: Readonly<Record<string, CarrierPort>> = { simulated: simulatedCarrier };

export function carrierFromEnv(): CarrierPort {
  const name = process.env[ENV.carrier] ?? 'simulated';
  const carrier = CARRIERS[name];
  if (!carrier)
    throw new Error(`${ENV.carrier} must be one of ${Object.keys(CARRIERS).join(', ')}, got ${name}`);
  return carrier;
}
