/**
 * Signing keys made fresh at every start and kept only in memory: a development provider must
 * never ship or reuse a key, and tokens from a previous run should stop verifying.
 */
import { generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { JsonWebKey } from 'oidc-provider';

const generateRsaKeyPair = promisify(generateKeyPair);

/** One RS256 key (the default ID token algorithm every client supports). */
export async function generateSigningKeys(): Promise<{ keys: JsonWebKey[] }> {
  const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kty: 'RSA', kid: randomUUID(), use: 'sig', alg: 'RS256' }] };
}

/** Keys for oidc-provider's signed cookies. */
export function generateCookieKeys(): string[] {
  return [randomBytes(32).toString('base64url')];
}
