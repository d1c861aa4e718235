/**
 * Secrets a handler needs (the Stripe API key, the webhook signing secret). On AWS the environment
 * holds only the Secrets Manager ARN and the value is fetched (and cached for five minutes, so a
 * rotation is picked up) with Powertools Parameters; the embedded runtime and tests pass the value
 * itself in a variable of its own. A value is never logged.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

export async function secretFromEnv(arnEnv: string, valueEnv: string): Promise<string> {
  // The value itself wins: only the embedded runtime and tests set it (the stack never does).
  const plain = process.env[valueEnv];
  if (plain) return plain;
  const arn = process.env[arnEnv];
  if (arn) {
    const value = await getSecret(arn, { maxAge: 300 });
    if (typeof value !== 'string' || value === '')
      throw new Error(
        `The secret ${arnEnv} names has no value yet: put one with aws secretsmanager put-secret-value`,
      );
    return value;
  }
  throw new Error(`Missing ${arnEnv} (a Secrets Manager ARN) or, locally, ${valueEnv}`);
}
