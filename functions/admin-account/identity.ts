import type { APIGatewayProxyEvent } from 'aws-lambda';
import { HttpError } from '../shared/http.js';

/** The operator behind an IAM-authorized admin call (the signer's ARN, as for agents). */
export function adminIdOf(event: APIGatewayProxyEvent): string {
  const identity = event.requestContext?.identity;
  const adminId = identity?.userArn ?? identity?.caller ?? identity?.user;
  if (!adminId)
    throw new HttpError(
      403,
      'forbidden',
      'This endpoint is for operators signed in with AWS IAM (the admin role).',
    );
  return adminId;
}
