/**
 * Local stand-ins for the API's authorizers: JWTs signed with a development key (HS256).
 * A customer token carries `{ sub: customerId }`, as the Cognito user pool authorizer's claims do;
 * an agent token carries `{ sub: agentId, role: "agent" }` and stands in for SigV4 on the agent AWS_IAM
 * routes; an admin token (`role: "admin"`) stands in for the operators' role on the `/admin/` routes.
 * The key comes from `LOCAL_JWT_SECRET`, or is generated at start (tokens then last one run).
 */
import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const LOCAL_ISSUER = 'refund-hub-local';
export const LOCAL_AUDIENCE = 'refund-hub';
const ALGORITHM = 'HS256';

export type LocalPrincipal =
  | { readonly kind: 'customer'; readonly customerId: string; readonly claims: Record<string, string> }
  | { readonly kind: 'agent'; readonly agentId: string; readonly claims: Record<string, string> }
  | { readonly kind: 'admin'; readonly adminId: string; readonly claims: Record<string, string> };

export interface LocalAuthOptions {
  /** The signing key; `LOCAL_JWT_SECRET`, else 32 random bytes. */
  readonly secret?: string;
  /** Token lifetime. @default '24h' */
  readonly expiresIn?: string;
}

export class LocalAuthError extends Error {
  override readonly name = 'LocalAuthError';
}

export interface LocalAuth {
  customerToken(customerId: string): Promise<string>;
  agentToken(agentId: string): Promise<string>;
  adminToken(adminId: string): Promise<string>;
  /** The principal of a bearer token, or a `LocalAuthError` saying why it is not valid. */
  verify(token: string): Promise<LocalPrincipal>;
}

export function createLocalAuth(options: LocalAuthOptions = {}): LocalAuth {
  const secret = options.secret ?? process.env.LOCAL_JWT_SECRET ?? randomBytes(32).toString('base64url');
  const key = new TextEncoder().encode(secret);
  const expiresIn = options.expiresIn ?? '24h';

  const sign = (claims: Record<string, string>, subject: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(subject)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key);

  return {
    customerToken: (customerId) => sign({ token_use: 'id' }, customerId),
    agentToken: (agentId) => sign({ role: 'agent' }, agentId),
    adminToken: (adminId) => sign({ role: 'admin' }, adminId),
    verify: async (token) => {
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: LOCAL_ISSUER,
          audience: LOCAL_AUDIENCE,
        }));
      } catch (error) {
        throw new LocalAuthError(
          error instanceof errors.JWTExpired ? 'The token has expired.' : 'The token is not valid.',
        );
      }
      if (typeof payload.sub !== 'string' || payload.sub === '')
        throw new LocalAuthError('The token has no subject.');
      // API Gateway hands claims to the integration as strings.
      const claims = Object.fromEntries(
        Object.entries(payload).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      );
      if (payload.role === 'agent') return { kind: 'agent', agentId: payload.sub, claims };
      if (payload.role === 'admin') return { kind: 'admin', adminId: payload.sub, claims };
      return { kind: 'customer', customerId: payload.sub, claims };
    },
  };
}

/** The token of an `Authorization` header: `Bearer <jwt>`, or the bare JWT as Cognito authorizers accept. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const trimmed = authorization.trim();
  const match = /^Bearer\s+(.+)$/i.exec(trimmed);
  const token = match ? match[1]?.trim() : trimmed;
  return token ? token : undefined;
}
