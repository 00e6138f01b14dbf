/**
 * The vault's cipher where Electron's safeStorage is absent (Node, tests, the headless host):
 * AES-256-GCM with a key the caller owns, kept in a 0600 key file.
 *
 * Format: [1 version byte][12-byte random IV][ciphertext][16-byte tag]. The version byte is
 * authenticated too (it is the GCM additional data), so it cannot be swapped without detection.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AuthError } from './errors.js';
import type { Cipher, CipherProtection } from './ports.js';

export const KEY_BYTES = 32;
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES;
const ALGORITHM = 'aes-256-gcm';

const PROTECTION: CipherProtection = { protected: true, backend: 'aes-256-gcm' };

export function createAesGcmCipher(key: Uint8Array): Cipher {
  if (key.byteLength !== KEY_BYTES) {
    throw new AuthError('storage_unavailable', `The session key must be ${KEY_BYTES} bytes, not ${key.byteLength}.`);
  }
  // A KeyObject holds its own copy: later changes to the caller's array cannot alter it.
  const secret = createSecretKey(Buffer.from(key));
  const aad = Uint8Array.of(FORMAT_VERSION);

  return {
    protection: async () => PROTECTION,

    encrypt: async (plaintext) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return new Uint8Array(Buffer.concat([aad, iv, body, cipher.getAuthTag()]));
    },

    decrypt: async (ciphertext) => {
      if (ciphertext.byteLength < HEADER_BYTES + TAG_BYTES) throw undecryptable('it is too short');
      if (ciphertext[0] !== FORMAT_VERSION) throw undecryptable(`its format version ${ciphertext[0]} is unknown`);
      const bytes = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
      const iv = bytes.subarray(1, HEADER_BYTES);
      const body = bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES);
      const tag = bytes.subarray(bytes.length - TAG_BYTES);
      try {
        const decipher = createDecipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(aad);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (error) {
        throw undecryptable('the key is wrong or the data was altered', error);
      }
    },
  };
}

function undecryptable(why: string, cause?: unknown): AuthError {
  return new AuthError('storage_corrupt', `The stored data cannot be decrypted: ${why}.`, cause === undefined ? undefined : { cause });
}

/**
 * Reads the key, or creates it when the file is absent. Creation writes a temp file and hard-links
 * it into place: the link is atomic and fails if the name exists, so two processes starting at once
 * agree on one key, and a reader never sees a half-written key. A key of the wrong size is an
 * error, never replaced: replacing it would silently make every stored session unreadable.
 */
export async function loadOrCreateKeyFile(file: string): Promise<Uint8Array> {
  const existing = await readKeyFile(file);
  if (existing) return existing;

  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx', flush: true });
    await link(temp, file);
  } catch (error) {
    if (code(error) !== 'EEXIST') throw storageError(`cannot create the key file ${file}`, error);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const created = await readKeyFile(file);
  if (!created) throw new AuthError('storage_unavailable', `The key file ${file} vanished while it was being created.`);
  return created;
}

async function readKeyFile(file: string): Promise<Uint8Array | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw storageError(`cannot read the key file ${file}`, error);
  }
  if (bytes.length !== KEY_BYTES) {
    throw new AuthError('storage_corrupt', `The key file ${file} holds ${bytes.length} bytes, not ${KEY_BYTES}; it was left as it is.`);
  }
  return new Uint8Array(bytes);
}

function storageError(what: string, cause: unknown): AuthError {
  return new AuthError('storage_unavailable', `The app ${what} (${code(cause) ?? 'error'}).`, { cause });
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
