/**
 * Discord signs every request to the Interactions Endpoint with the application's Ed25519 key:
 * `X-Signature-Ed25519` (hex) over `X-Signature-Timestamp` + the raw body. node:crypto verifies
 * it; the key comes as the raw 32 bytes Discord shows in hex, which Node only imports inside an
 * SPKI structure, so the fixed DER prefix of an Ed25519 SPKI is put in front of them.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** SEQUENCE { SEQUENCE { OID 1.3.101.112 (Ed25519) } BIT STRING (32 bytes follow) }. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** What DISCORD_PUBLIC_KEY must look like (config.ts checks it with this). */
export const PUBLIC_KEY_HEX = /^[0-9a-f]{64}$/i;

/** The application's public key (64 hex characters, Developer Portal → General Information). */
export function interactionKey(hex: string): KeyObject {
  if (!PUBLIC_KEY_HEX.test(hex)) throw new Error('bug: an interaction public key is 64 hex characters (config.ts checks it)');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/** True when `signature` (hex) is the key's signature of timestamp + body; any malformed part is false, never a throw. */
export function signedByDiscord(key: KeyObject, signature: string | undefined, timestamp: string | undefined, body: Buffer): boolean {
  if (signature === undefined || timestamp === undefined || !/^[0-9a-f]{128}$/i.test(signature)) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
  } catch {
    return false;
  }
}
