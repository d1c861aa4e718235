export interface WebConfig {
  readonly mode: 'local' | 'aws';
  readonly apiUrl: string; // '' locally (same origin); on AWS the API stage URL (the app appends /v1/...)
  readonly region?: string;
  readonly userPoolId?: string;
  readonly userPoolClientId?: string;
  readonly cognitoDomain?: string; // https://<prefix>.auth.<region>.amazoncognito.com
  readonly identityPoolId?: string;
}
export type SignedFetch = (path: string, init?: RequestInit) => Promise<Response>;
