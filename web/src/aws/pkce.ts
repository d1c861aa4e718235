/**
 * PKCE (RFC 7636) with S256: the page keeps a random verifier and sends only its SHA-256 to the hosted UI, so a
 * code that leaks (history, logs) is useless without the verifier that never left this tab.
 */

/** Random bytes; crypto.getRandomValues in the browser, injectable for tests. */
export type RandomBytes = (length: number) => Uint8Array;

export const cryptoRandom: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));

/** Base64url without padding (RFC 4648 section 5), as PKCE and OAuth state use it. */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 32 random bytes: a 43-character verifier (RFC 7636 allows 43 to 128 unreserved characters). */
export function createVerifier(random: RandomBytes = cryptoRandom): string {
  return base64Url(random(32));
}

/** An unguessable `state`, checked when the hosted UI sends the browser back. */
export function createState(random: RandomBytes = cryptoRandom): string {
  return base64Url(random(16));
}

/** code_challenge = BASE64URL(SHA256(ASCII(code_verifier))), method S256. */
export async function challengeOf(verifier: string): Promise<string> {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier))
    throw new Error('a PKCE verifier is 43-128 unreserved characters');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}
