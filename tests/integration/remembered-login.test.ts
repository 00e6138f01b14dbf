/**
 * "Keep me signed in" end to end: sign in through the real dev provider (Chromium as the system
 * browser), stop the app, and start a new one on the same user data as the next launch would. The
 * vault is the app's own (AES key file + conf store); where a test needs an expired token or a
 * damaged record it rewrites the file on disk between runs, as another process could.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { AuthConfig } from '../../electron/auth/config.js';
import type { DevIdp } from '../../electron/dev-idp/index.js';
import { startHeadlessApp, tempUserData, type HeadlessApp, type HeadlessAppOptions } from '../support/headless-app.js';
import {
  basicTextCipher,
  expireStoredAccessToken,
  hasStoredRecord,
  listFiles,
  noFileContains,
  openAppVault,
  readStored,
  withApp,
  startDevSuite,
  type DevSuite,
} from '../support/session-fixtures.js';
import { spawnSupport, stopChild } from '../support/vault-fixtures.js';

let browser: Browser;
let idp: DevIdp;
let config: AuthConfig;

let suite: DevSuite | undefined;
beforeAll(async () => {
  suite = await startDevSuite();
  ({ browser, idp, config: config } = suite);
});
afterAll(() => suite?.close());

/** Starts an app (no window) that the test stops at its end; the user data goes with the test. */
async function start(options: Partial<HeadlessAppOptions> & { userDataDir: string }): Promise<HeadlessApp> {
  const h = await startHeadlessApp({ browser, config, window: false, ...options });
  onTestFinished(() => h.stop());
  return h;
}

async function userData(): Promise<string> {
  const dir = await tempUserData('remembered-login-');
  onTestFinished(() => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }));
  return dir;
}

/** Signs Alice in with "keep me signed in", then stops that app: the folder now holds her session. */
async function signedInFolder(remember = true): Promise<{ dir: string; profile: unknown }> {
  const dir = await userData();
  const first = await startHeadlessApp({ browser, config, window: false, userDataDir: dir });
  try {
    const snapshot = await first.app.session.signIn('dev', { remember });
    expect(snapshot).toMatchObject({ status: 'signed-in', remembered: remember });
    return { dir, profile: snapshot.user };
  } finally {
    await first.stop();
  }
}

/** Requests to the token endpoint itself (`/token/revocation` is another endpoint). */
const tokenRequests = (): number => idp.requests.filter((r) => r.path === '/token').length;

describe('remembered login', () => {
  it('survives a restart: signed in again, remembered, with the same profile, from the encrypted vault', async () => {
    const { dir, profile } = await signedInFolder();
    const stored = await readStored(dir, config);
    expect(stored.profile).toEqual(profile);
    // Encrypted on disk: neither the tokens nor the profile appear in any file.
    expect(await noFileContains(dir, stored.tokens.accessToken)).toBe(true);
    expect(await noFileContains(dir, stored.tokens.refreshToken ?? 'missing refresh token')).toBe(true);
    expect(await noFileContains(dir, 'alice@example.com')).toBe(true);

    const second = await start({ userDataDir: dir });
    expect(second.app.session.snapshot()).toMatchObject({
      status: 'signed-in',
      remembered: true,
      notRememberedReason: null,
      providerId: 'dev',
      user: profile,
      signedOutReason: null,
      offline: false,
    });
    expect(second.app.session.snapshot().user).toMatchObject({ name: 'Alice Example', email: 'alice@example.com' });
  });

  it('restores a valid access token with zero requests to the provider', async () => {
    const { dir } = await signedInFolder();
    const before = idp.requests.length;
    const second = await start({ userDataDir: dir });
    expect(second.app.session.snapshot()).toMatchObject({ status: 'signed-in', remembered: true, lastRefreshAt: null });
    expect(second.app.core.requests.total).toBe(0);
    expect(idp.requests.length).toBe(before);
    // The token it hands out is the stored one: no refresh behind the scenes either.
    expect(await second.app.session.getAccessToken()).toBe((await readStored(dir, config)).tokens.accessToken);
    expect(idp.requests.length).toBe(before);
  });

  it('restores with zero requests in a real second process too', async () => {
    const { dir } = await signedInFolder();
    const before = idp.requests.length;
    const child = spawnSupport('session-restore-child.ts', [dir, idp.issuer, idp.clientId]);
    onTestFinished(() => stopChild(child));
    const line = await child.waitFor((l) => l.startsWith('{'));
    expect(await child.exited).toBe(0);
    const outcome = JSON.parse(line) as Record<string, unknown>;
    expect(outcome).toMatchObject({ status: 'signed-in', remembered: true, sub: 'alice', requests: 0 });
    expect(outcome['pid']).not.toBe(process.pid);
    expect(idp.requests.length).toBe(before);
  });

  it('restores an expired access token with exactly one request to the token endpoint', async () => {
    const { dir } = await signedInFolder();
    const expired = await expireStoredAccessToken(dir, config);
    const tokensBefore = tokenRequests();
    const startedAt = Date.now();

    const second = await start({ userDataDir: dir });
    const snapshot = second.app.session.snapshot();
    expect(snapshot).toMatchObject({ status: 'signed-in', remembered: true, offline: false, lastError: null });
    expect(snapshot.lastRefreshAt).toBeGreaterThanOrEqual(startedAt);
    expect(snapshot.accessTokenExpiresAt).toBeGreaterThan(Date.now());
    expect(tokenRequests()).toBe(tokensBefore + 1);
    expect(second.app.core.requests.byPath.get('/token')).toBe(1);

    // The refreshed session is what is on disk now, rotated refresh token included.
    const stored = await readStored(dir, config);
    expect(stored.revision).toBe(expired.revision + 1);
    expect(stored.lastRefreshAt).toBe(snapshot.lastRefreshAt);
    expect(stored.tokens.accessToken).not.toBe(expired.tokens.accessToken);
    expect(stored.tokens.refreshToken).not.toBe(expired.tokens.refreshToken);
  });

  it('with "keep me signed in" off writes nothing, and removes an older record', async () => {
    // A remembered session from an earlier sign-in...
    const { dir } = await signedInFolder(true);
    expect(await hasStoredRecord(dir, config)).toBe(true);

    // ...then a sign-in without remember in the next run.
    const second = await start({ userDataDir: dir });
    const snapshot = await second.app.session.signIn('dev', { remember: false });
    expect(snapshot).toMatchObject({ status: 'signed-in', remembered: false, notRememberedReason: 'not-requested' });
    expect(await hasStoredRecord(dir, config)).toBe(false);
    const token = await second.app.session.getAccessToken();
    expect(await noFileContains(dir, token)).toBe(true);
    await second.stop();

    const third = await start({ userDataDir: dir });
    expect(third.app.session.snapshot()).toMatchObject({ status: 'signed-out', signedOutReason: null, remembered: false });

    // And in a fresh folder: signing in without remember leaves no session file behind at all.
    const fresh = await userData();
    const h = await start({ userDataDir: fresh });
    await h.app.session.signIn('dev', { remember: false });
    expect(await hasStoredRecord(fresh, config)).toBe(false);
    expect(await noFileContains(fresh, await h.app.session.getAccessToken())).toBe(true);
  });

  it('keeps the session in memory only where storage is basic_text, and says why', async () => {
    const dir = await userData();
    const key = randomBytes(32);
    const h = await start({ userDataDir: dir, cipher: basicTextCipher(key) });
    const before = h.app.session.snapshot();
    expect(before.storage).toMatchObject({ canRemember: false, backend: 'basic_text' });
    expect(before.storage.reason).toMatch(/basic_text/);

    const snapshot = await h.app.session.signIn('dev', { remember: true });
    expect(snapshot).toMatchObject({ status: 'signed-in', remembered: false, notRememberedReason: 'storage-unprotected' });
    expect(snapshot.storage.canRemember).toBe(false);
    // Nothing was written: no session record, no pending attempt, not even an empty store file.
    expect(await listFiles(dir)).toEqual([]);
    await h.stop();

    const again = await start({ userDataDir: dir, cipher: basicTextCipher(key) });
    expect(again.app.session.snapshot()).toMatchObject({ status: 'signed-out', signedOutReason: null });
  });

  it('remembers on basic_text only when the config explicitly allows weak storage', async () => {
    const dir = await userData();
    const key = randomBytes(32);
    const weak = withApp(config, { allowWeakStorage: true });
    const h = await start({ userDataDir: dir, config: weak, cipher: basicTextCipher(key) });
    expect(h.app.session.snapshot().storage).toEqual({ canRemember: true, backend: 'basic_text', reason: null });
    const snapshot = await h.app.session.signIn('dev', { remember: true });
    expect(snapshot).toMatchObject({ remembered: true, notRememberedReason: null });
    await h.stop();

    const again = await start({ userDataDir: dir, config: weak, cipher: basicTextCipher(key) });
    expect(again.app.session.snapshot()).toMatchObject({ status: 'signed-in', remembered: true, user: snapshot.user });
  });

  it('signs out with storage_corrupt, and sets the record aside, when the stored data was altered', async () => {
    const { dir } = await signedInFolder();
    const { store } = await openAppVault(dir, config);
    const raw = store.get('session');
    expect(raw).toBeDefined();
    const envelope = JSON.parse(raw ?? '{}') as { v: number; app: string; data: string };
    const bytes = Buffer.from(envelope.data, 'base64');
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    const tampered = JSON.stringify({ ...envelope, data: bytes.toString('base64') });
    store.set('session', tampered);

    const second = await start({ userDataDir: dir });
    expect(second.app.session.snapshot()).toMatchObject({
      status: 'signed-out',
      signedOutReason: 'storage_corrupt',
      lastError: { code: 'storage_corrupt' },
      user: null,
    });
    const quarantined = (await listFiles(dir)).filter((f) => f.startsWith('session-quarantine-'));
    expect(quarantined).toHaveLength(1);
    // Set aside as it was, not deleted: the altered record is in the quarantine file.
    expect(await readFile(path.join(dir, quarantined[0] ?? ''), 'utf8')).toBe(tampered);
    expect(await hasStoredRecord(dir, config)).toBe(false);

    // No crash: the app goes on, and a new sign-in is remembered again.
    const snapshot = await second.app.session.signIn('dev', { remember: true });
    expect(snapshot).toMatchObject({ status: 'signed-in', remembered: true, lastError: null });
    expect(await hasStoredRecord(dir, config)).toBe(true);
  });
});
