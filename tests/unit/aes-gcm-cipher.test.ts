import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAesGcmCipher, KEY_BYTES, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import { isAuthError } from '../../electron/auth/errors.js';

const key = (): Uint8Array => new Uint8Array(randomBytes(KEY_BYTES));

describe('createAesGcmCipher', () => {
  it('round-trips text and reports itself as protected aes-256-gcm', async () => {
    const cipher = createAesGcmCipher(key());
    for (const text of ['', 'hello', '{"token":"ünïcødé ✓"}', 'x'.repeat(100_000)]) {
      expect(await cipher.decrypt(await cipher.encrypt(text))).toBe(text);
    }
    expect(await cipher.protection()).toEqual({ protected: true, backend: 'aes-256-gcm' });
  });

  it('writes version 1, a fresh 12-byte IV, the ciphertext and a 16-byte tag', async () => {
    const cipher = createAesGcmCipher(key());
    const a = await cipher.encrypt('same text');
    const b = await cipher.encrypt('same text');
    expect(a[0]).toBe(1);
    expect(a.length).toBe(1 + 12 + 'same text'.length + 16);
    expect(Buffer.from(a.subarray(1, 13)).equals(Buffer.from(b.subarray(1, 13)))).toBe(false);
  });

  it('refuses a wrong key', async () => {
    const sealed = await createAesGcmCipher(key()).encrypt('secret');
    await expect(createAesGcmCipher(key()).decrypt(sealed)).rejects.toSatisfy((e) => isAuthError(e, 'storage_corrupt'));
  });

  it('refuses any single flipped bit, anywhere', async () => {
    const cipher = createAesGcmCipher(key());
    const sealed = await cipher.encrypt('{"accessToken":"abc"}');
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sealed.length * 8 - 1 }), async (bit) => {
        const tampered = Uint8Array.from(sealed);
        tampered[bit >> 3]! ^= 1 << (bit & 7);
        await expect(cipher.decrypt(tampered)).rejects.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('refuses truncated, extended and too-short input', async () => {
    const cipher = createAesGcmCipher(key());
    const sealed = await cipher.encrypt('secret');
    await expect(cipher.decrypt(sealed.subarray(0, sealed.length - 1))).rejects.toThrow();
    await expect(cipher.decrypt(Uint8Array.from([...sealed, 0]))).rejects.toThrow();
    await expect(cipher.decrypt(new Uint8Array(28))).rejects.toThrow(/too short/);
    await expect(cipher.decrypt(new Uint8Array(0))).rejects.toThrow(/too short/);
  });

  it('keeps its own copy of the key', async () => {
    const bytes = key();
    const cipher = createAesGcmCipher(bytes);
    const sealed = await cipher.encrypt('secret');
    bytes.fill(0);
    expect(await cipher.decrypt(sealed)).toBe('secret');
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createAesGcmCipher(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});

describe('loadOrCreateKeyFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'key-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a 32-byte key readable only by the owner, and returns the same key afterwards', async () => {
    const file = path.join(dir, 'nested', 'session.key');
    const created = await loadOrCreateKeyFile(file);
    expect(created.length).toBe(32);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await loadOrCreateKeyFile(file)).equals(Buffer.from(created))).toBe(true);
    expect(Buffer.from(await readFile(file)).equals(Buffer.from(created))).toBe(true);
  });

  it('agrees on one key when many callers create it at once, and leaves no temp files', async () => {
    const file = path.join(dir, 'session.key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateKeyFile(file)));
    const first = Buffer.from(keys[0]!);
    for (const k of keys) expect(Buffer.from(k).equals(first)).toBe(true);
    expect(await readdir(dir)).toEqual(['session.key']);
  });

  it('refuses a key file of the wrong size and leaves it untouched', async () => {
    const file = path.join(dir, 'session.key');
    await writeFile(file, 'too short');
    await expect(loadOrCreateKeyFile(file)).rejects.toSatisfy((e) => isAuthError(e, 'storage_corrupt'));
    expect(await readFile(file, 'utf8')).toBe('too short');
  });
});
