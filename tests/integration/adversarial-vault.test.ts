/**
 * The adversarial suite, vault: a real sign-in against the misbehaving-oidc fixture (mode 'ok')
 * writes a real encrypted record; generated corruptions of it (bit flips anywhere in the file,
 * truncations, appended bytes, envelope fields replaced or swapped, the ciphertext altered or
 * re-encoded, the decrypted record re-encrypted with swapped or wrong-typed fields, another kind,
 * app or version) are then restored by a new app on that folder, through the real composition root.
 *
 * Expected, from the test's own reading of the file: signed out with `storage_corrupt`, the bad
 * record moved aside byte for byte; or signed out cleanly when the corruption removed the record;
 * or, when the corruption changed nothing the vault reads (a flip in the unused low bits of the
 * last base64 character, trailing whitespace), signed in. Never a crash, never a request.
 */
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import type { AuthConfig } from '../../electron/auth/config.js';
import { createLogger, type LogRecord } from '../../electron/auth/logger.js';
import type { Cipher } from '../../electron/auth/ports.js';
import type { Platform } from '../../electron/main/platform.js';
import { startApp } from '../../electron/main/start-app.js';
import {
  byteCorruption,
  corruptBytes,
  envelopeMutation,
  mutateInner,
  recordMutation,
  type EnvelopeMutation,
  type RecordMutation,
} from '../support/arbitraries.js';
import { followAuthorizeRedirect } from '../support/fixtures/http-util.js';
import { startMisbehavingOidc, type MisbehavingOidc } from '../support/fixtures/misbehaving-oidc.js';
import { tempUserData } from '../support/headless-app.js';
import { createHeadlessPlatform } from '../support/headless-platform.js';
import { KEY_FILE, misbehavingConfig } from '../support/session-fixtures.js';

const STORE_FILE = 'session.json';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type Json = Record<string, unknown>;
type Outcome = { kind: 'signed-in' } | { kind: 'empty' } | { kind: 'quarantined'; content: string } | { kind: 'store-recovered'; bytes: Uint8Array };

interface Restored {
  readonly snapshot: ReturnType<Awaited<ReturnType<typeof startApp>>['session']['snapshot']>;
  readonly files: string[];
  readonly dir: string;
  readonly logs: LogRecord[];
}

let fx: MisbehavingOidc;
let config: AuthConfig;
let template: string;
let original: { file: Uint8Array; envelope: Json; ciphertext: Buffer; inner: Json };
let cipher: Cipher;
const dirs: string[] = [];

/** Starts the app on a folder with the template's key and the given store file, as a new process would. */
async function restoreWith(file: Uint8Array | undefined): Promise<Restored> {
  const dir = await tempUserData('adversarial-vault-');
  dirs.push(dir);
  await copyFile(path.join(template, KEY_FILE), path.join(dir, KEY_FILE));
  if (file !== undefined) await writeFile(path.join(dir, STORE_FILE), file);
  const logs: LogRecord[] = [];
  const logger = createLogger({ level: 'debug', sink: (r) => logs.push(r) });
  const platform = await createHeadlessPlatform({ userDataDir: dir, scheme: config.app.scheme, logger, window: false });
  const app = await startApp(platform, { config, logger });
  const snapshot = app.session.snapshot();
  await app.stop();
  await platform.close();
  return { snapshot, files: (await readdir(dir)).sort(), dir, logs };
}

/** What the test expects of a store file, read the way conf and the vault are documented to read it. */
function expectedOutcome(file: Uint8Array): Outcome {
  let top: unknown;
  try {
    top = JSON.parse(Buffer.from(file).toString('utf8'));
  } catch {
    return { kind: 'store-recovered', bytes: file };
  }
  if (top === null || typeof top !== 'object' || Array.isArray(top)) return { kind: 'store-recovered', bytes: file };
  const value = (top as Json)['session'];
  if (value === undefined) return { kind: 'empty' };
  const content = typeof value === 'string' ? value : JSON.stringify(value);
  return readsAsOriginal(content) ? { kind: 'signed-in' } : { kind: 'quarantined', content };
}

/** The envelope still says the same thing: same version, same app, data that decodes to the same ciphertext. */
function readsAsOriginal(envelopeText: string): boolean {
  let e: unknown;
  try {
    e = JSON.parse(envelopeText);
  } catch {
    return false;
  }
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return false;
  const { v, app, data } = e as Json;
  return v === original.envelope['v'] && app === original.envelope['app'] && typeof data === 'string' && BASE64.test(data) && Buffer.from(data, 'base64').equals(original.ciphertext);
}

async function checkRestore(file: Uint8Array, label: string): Promise<void> {
  const expected = expectedOutcome(file);
  const { snapshot, files, dir, logs } = await restoreWith(file);
  const quarantined = files.filter((f) => /^session-quarantine-.*\.json$/.test(f));
  const recovered = files.filter((f) => f.startsWith(`${STORE_FILE}.corrupt-`));
  switch (expected.kind) {
    case 'signed-in':
      expect(snapshot, label).toMatchObject({ status: 'signed-in', signedOutReason: null });
      expect([...quarantined, ...recovered], label).toEqual([]);
      break;
    case 'empty':
      expect(snapshot, label).toMatchObject({ status: 'signed-out', signedOutReason: null, lastError: null });
      expect([...quarantined, ...recovered], label).toEqual([]);
      break;
    case 'quarantined':
      expect(snapshot, label).toMatchObject({ status: 'signed-out', signedOutReason: 'storage_corrupt', lastError: { code: 'storage_corrupt' } });
      expect(quarantined, label).toHaveLength(1);
      expect(await readFile(path.join(dir, quarantined[0] ?? ''), 'utf8'), label).toBe(expected.content);
      // Moved, not copied: the store no longer holds it.
      expect(JSON.parse(await readFile(path.join(dir, STORE_FILE), 'utf8')), label).not.toHaveProperty('session');
      break;
    case 'store-recovered':
      expect(snapshot, label).toMatchObject({ status: 'signed-out', signedOutReason: 'storage_corrupt', lastError: { code: 'storage_corrupt' } });
      expect(recovered, label).toHaveLength(1);
      expect(Buffer.from(await readFile(path.join(dir, recovered[0] ?? ''))).equals(Buffer.from(expected.bytes)), label).toBe(true);
      break;
  }
  if (expected.kind !== 'signed-in') {
    // The reason is logged; the record's content is not.
    expect(JSON.stringify(logs), label).not.toContain(String(original.envelope['data']).slice(0, 40));
  }
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}

function fileWithEnvelope(envelope: unknown): Uint8Array {
  const top = JSON.parse(Buffer.from(original.file).toString('utf8')) as Json;
  top['session'] = typeof envelope === 'string' ? envelope : JSON.stringify(envelope);
  return new Uint8Array(Buffer.from(JSON.stringify(top, null, '\t')));
}

function applyEnvelopeMutation(m: EnvelopeMutation): Uint8Array {
  const envelope: Json = { ...original.envelope };
  switch (m.kind) {
    case 'field':
      if (m.value === undefined) delete envelope[m.field];
      else envelope[m.field] = m.value;
      return fileWithEnvelope(envelope);
    case 'swap':
      return fileWithEnvelope({ ...envelope, app: envelope['data'], data: envelope['app'] });
    case 'ciphertext':
      return fileWithEnvelope({ ...envelope, data: Buffer.from(corruptBytes(new Uint8Array(original.ciphertext), m.corruption)).toString('base64') });
    case 'reencode': {
      const b64 = original.ciphertext.toString('base64');
      const data = m.as === 'base64url' ? original.ciphertext.toString('base64url') : m.as === 'unpadded' ? b64.replace(/=+$/, '') : m.as === 'spaced' ? b64.replace(/(.{16})/g, '$1 ') : original.ciphertext.toString('hex');
      return fileWithEnvelope({ ...envelope, data });
    }
    case 'not-json':
      return fileWithEnvelope(m.text);
  }
}

async function reencrypted(m: RecordMutation): Promise<Uint8Array> {
  const inner = mutateInner(original.inner, m);
  const ciphertext = Buffer.from(await cipher.encrypt(JSON.stringify(inner)));
  return fileWithEnvelope({ ...original.envelope, data: ciphertext.toString('base64') });
}

beforeAll(async () => {
  fx = await startMisbehavingOidc({ mode: 'ok' });
  config = misbehavingConfig(fx);
  template = await tempUserData('adversarial-vault-template-');
  const logger = createLogger({ level: 'warn', sink: () => undefined });
  const headless = await createHeadlessPlatform({ userDataDir: template, scheme: config.app.scheme, logger, window: false });
  const platform: Platform = { ...headless, openExternal: async (url) => headless.deliverDeepLink((await followAuthorizeRedirect(url)).href) };
  const app = await startApp(platform, { config, logger });
  const signedIn = await app.session.signIn('fixture', { remember: true });
  expect(signedIn).toMatchObject({ status: 'signed-in', remembered: true });
  await app.stop();
  await headless.close();

  const file = new Uint8Array(await readFile(path.join(template, STORE_FILE)));
  const top = JSON.parse(Buffer.from(file).toString('utf8')) as Json;
  const envelope = JSON.parse(String(top['session'])) as Json;
  const ciphertext = Buffer.from(String(envelope['data']), 'base64');
  cipher = createAesGcmCipher(await loadOrCreateKeyFile(path.join(template, KEY_FILE)));
  const inner = JSON.parse(await cipher.decrypt(new Uint8Array(ciphertext))) as Json;
  original = { file, envelope, ciphertext, inner };
});

afterAll(async () => {
  await fx?.close();
  for (const dir of [template, ...dirs]) if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
});

describe('restoring a corrupted vault record', () => {
  it('the untouched record restores signed in, without a request (the baseline the corruptions depart from)', async () => {
    expect(Object.keys(JSON.parse(Buffer.from(original.file).toString('utf8')) as Json)).toEqual(['session']);
    expect(original.inner).toMatchObject({ v: 1, app: config.app.scheme, kind: 'session', record: { providerId: 'fixture' } });
    const requests = fx.countRequests();
    await checkRestore(original.file, 'untouched');
    expect(fx.countRequests()).toBe(requests);
  });

  it('bit flips, truncations and appended bytes anywhere in the store file', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(byteCorruption, async (c) => {
        const file = corruptBytes(original.file, c);
        seen.add(expectedOutcome(file).kind);
        await checkRestore(file, `${c.kind} ${JSON.stringify(c, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))}`);
      }),
      { numRuns: 150 },
    );
    // The corruptions reached both the store's own recovery and the vault's quarantine.
    expect(seen.has('store-recovered')).toBe(true);
    expect(seen.has('quarantined')).toBe(true);
  });

  it('envelope fields replaced, removed or swapped, the ciphertext altered or re-encoded', async () => {
    await fc.assert(
      fc.asyncProperty(envelopeMutation, async (m) => {
        await checkRestore(applyEnvelopeMutation(m), `envelope ${JSON.stringify(m, (_k, v: unknown) => (v instanceof Uint8Array ? `${v.length} bytes` : v)).slice(0, 300)}`);
      }),
      { numRuns: 80 },
    );
  });

  it('the decrypted record re-encrypted with the real key but swapped fields, wrong types, another kind, app or version', async () => {
    await fc.assert(
      fc.asyncProperty(recordMutation, async (m) => {
        const file = await reencrypted(m);
        // Authentic ciphertext, wrong content: only the vault's own checks can catch these.
        expect(expectedOutcome(file).kind).toBe('quarantined');
        await checkRestore(file, `record ${JSON.stringify(m)}`);
      }),
      { numRuns: 80 },
    );
  });

  it('an empty folder, an empty file and a missing key restore signed out without a crash', async () => {
    const none = await restoreWith(undefined);
    expect(none.snapshot).toMatchObject({ status: 'signed-out', signedOutReason: null });
    await checkRestore(new Uint8Array(0), 'empty file');
    await checkRestore(new Uint8Array(Buffer.from('{}')), 'empty object');
    // Another key: the record is authentic to someone else, so it is undecryptable here.
    const dir = await tempUserData('adversarial-vault-otherkey-');
    dirs.push(dir);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, STORE_FILE), original.file);
    const logger = createLogger({ level: 'warn', sink: () => undefined });
    const platform = await createHeadlessPlatform({ userDataDir: dir, scheme: config.app.scheme, logger, window: false });
    const app = await startApp(platform, { config, logger });
    expect(app.session.snapshot()).toMatchObject({ status: 'signed-out', signedOutReason: 'storage_corrupt' });
    await app.stop();
    await platform.close();
    expect((await readdir(dir)).some((f) => /^session-quarantine-.*-undecryptable\.json$/.test(f))).toBe(true);
  });
});
