/**
 * Refresh against real providers: single-flight under load, rotation persisted before use, the one
 * error that signs out (`invalid_grant`), staying signed in offline when the provider is down and
 * recovering by itself, and a refresh on resume from sleep.
 */
import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { AuthConfig } from '../../electron/auth/config.js';
import type { RefreshPolicy } from '../../electron/auth/refresh-policy.js';
import { startDevIdp, type DevIdp } from '../../electron/dev-idp/index.js';
import { devIdpConfig } from '../../electron/main/resolve-config.js';
import { startMisbehavingOidc, type MisbehavingOidc } from '../support/fixtures/misbehaving-oidc.js';
import { startHeadlessApp, tempUserData, type HeadlessApp } from '../support/headless-app.js';
import {
  expireStoredAccessToken,
  failingCipher,
  hasStoredRecord,
  misbehavingConfig,
  readStored,
  startAppWithClock,
  testClock,
  startDevSuite,
  type DevSuite,
} from '../support/session-fixtures.js';

let browser: Browser;
let idp: DevIdp;
let devConfig: AuthConfig;

let suite: DevSuite | undefined;
beforeAll(async () => {
  suite = await startDevSuite();
  ({ browser, idp, config: devConfig } = suite);
});
afterAll(() => suite?.close());

/** No retry fires on its own during a test unless the test asks for quick retries. */
const NO_RETRY: Partial<RefreshPolicy> = { retryBaseMs: 60_000, retryMaxMs: 60_000 };

async function userData(): Promise<string> {
  const dir = await tempUserData('refresh-');
  onTestFinished(() => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }));
  return dir;
}

async function start(config: AuthConfig, userDataDir: string, refreshPolicy: Partial<RefreshPolicy> = NO_RETRY): Promise<HeadlessApp> {
  const h = await startHeadlessApp({ browser, config, window: false, userDataDir, refreshPolicy });
  onTestFinished(() => h.stop());
  return h;
}

/** Signs in with "keep me signed in" and stops that app; returns the folder holding the session. */
async function signedInFolder(config: AuthConfig, providerId: string): Promise<string> {
  const dir = await userData();
  const h = await startHeadlessApp({ browser, config, window: false, userDataDir: dir, refreshPolicy: NO_RETRY });
  try {
    expect(await h.app.session.signIn(providerId, { remember: true })).toMatchObject({ status: 'signed-in', remembered: true });
  } finally {
    await h.stop();
  }
  return dir;
}

async function misbehaving(): Promise<MisbehavingOidc> {
  const fx = await startMisbehavingOidc({ mode: 'ok' });
  onTestFinished(() => fx.close());
  return fx;
}

const devTokenRequests = (): number => idp.requests.filter((r) => r.path === '/token').length;

describe('refresh', () => {
  it('sends exactly one refresh for 100 concurrent getAccessToken() calls, and all get the new token', async () => {
    const fx = await misbehaving();
    const config = misbehavingConfig(fx);
    const dir = await signedInFolder(config, 'fixture');
    const old = await expireStoredAccessToken(dir, config);
    // The provider is failing at start, so the app comes up signed in with the expired token.
    fx.setMode('refresh-500');
    const h = await start(config, dir);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-in', offline: true });
    fx.setMode('ok');
    const before = fx.countRequests('/token');

    const tokens = await Promise.all(Array.from({ length: 100 }, () => h.app.session.getAccessToken()));

    expect(fx.countRequests('/token')).toBe(before + 1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(old.tokens.accessToken);
    expect((await readStored(dir, config)).tokens.accessToken).toBe(tokens[0]);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-in', offline: false, refreshing: false, lastError: null });
    // Now fresh: more callers need no request at all.
    expect(await h.app.session.getAccessToken()).toBe(tokens[0]);
    expect(fx.countRequests('/token')).toBe(before + 1);
  });

  it('persists each rotated refresh token and never sends an old one again', async () => {
    const dir = await signedInFolder(devConfig, 'dev');
    const original = await expireStoredAccessToken(dir, devConfig);
    const before = devTokenRequests();

    // Restore refreshes once; the provider rotates the refresh token and the new one is on disk.
    const first = await start(devConfig, dir);
    expect(first.app.session.snapshot()).toMatchObject({ status: 'signed-in', offline: false });
    const afterFirst = await readStored(dir, devConfig);
    expect(afterFirst.tokens.refreshToken).not.toBe(original.tokens.refreshToken);

    // A second refresh in the same run works: it used the rotated token, not the spent one.
    await first.app.session.refresh({ force: true });
    const afterSecond = await readStored(dir, devConfig);
    expect(afterSecond.tokens.refreshToken).not.toBe(afterFirst.tokens.refreshToken);
    expect(first.app.session.snapshot()).toMatchObject({ status: 'signed-in', lastError: null });
    await first.stop();

    // And the next process refreshes with the token the last one persisted.
    await expireStoredAccessToken(dir, devConfig);
    const second = await start(devConfig, dir);
    expect(second.app.session.snapshot()).toMatchObject({ status: 'signed-in', offline: false, lastError: null });
    expect(devTokenRequests()).toBe(before + 3);
    const refreshTokens = [original, afterFirst, afterSecond, await readStored(dir, devConfig)].map((s) => s.tokens.refreshToken);
    expect(new Set(refreshTokens).size).toBe(4);

    // The rotation is real: the first refresh token is refused now (sent by the test, last).
    const reused = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: original.tokens.refreshToken ?? '', client_id: idp.clientId }),
    });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('signs out with session_expired and removes the record when the refresh token was revoked', async () => {
    const dir = await signedInFolder(devConfig, 'dev');
    const stored = await expireStoredAccessToken(dir, devConfig);
    const revoked = await fetch(`${idp.issuer}/token/revocation`, {
      method: 'POST',
      body: new URLSearchParams({ token: stored.tokens.refreshToken ?? '', token_type_hint: 'refresh_token', client_id: idp.clientId }),
    });
    expect(revoked.status).toBe(200);

    const h = await start(devConfig, dir);
    expect(h.app.session.snapshot()).toMatchObject({
      status: 'signed-out',
      signedOutReason: 'session_expired',
      lastError: { code: 'session_expired' },
      user: null,
      remembered: false,
    });
    expect(await hasStoredRecord(dir, devConfig)).toBe(false);
    await expect(h.app.session.getAccessToken()).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it.each([
    ['invalid_grant during a refresh', 'refresh-invalid-grant'],
    ['the grant reported gone with HTTP 200, as GitHub does', 'refresh-200-error'],
  ] as const)('signs a running app out on %s', async (_case, mode) => {
    const fx = await misbehaving();
    const config = misbehavingConfig(fx);
    const dir = await userData();
    const h = await start(config, dir);
    await h.app.session.signIn('fixture', { remember: true });
    fx.setMode(mode);
    await expect(h.app.session.refresh({ force: true })).rejects.toMatchObject({ code: 'session_expired' });
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-out', signedOutReason: 'session_expired' });
    expect(await hasStoredRecord(dir, config)).toBe(false);
  });

  it('keeps a rotated refresh token in memory when it cannot be saved, instead of losing it', async () => {
    const fx = await misbehaving();
    const config = misbehavingConfig(fx);
    const dir = await userData();
    const cipher = await failingCipher(dir);
    const h = await startHeadlessApp({ browser, config, window: false, userDataDir: dir, refreshPolicy: NO_RETRY, cipher });
    onTestFinished(() => h.stop());
    await h.app.session.signIn('fixture', { remember: true });
    const saved = await readStored(dir, config);

    // The keyring locks: the provider rotates the refresh token, but the new one cannot be saved.
    cipher.failEncrypt = true;
    const refreshed = await h.app.session.refresh({ force: true });
    expect(refreshed.tokens.refreshToken).not.toBe(saved.tokens.refreshToken);
    expect(h.app.session.snapshot()).toMatchObject({
      status: 'signed-in',
      remembered: false,
      notRememberedReason: 'storage-unavailable',
      lastError: { code: 'storage_unavailable' },
    });
    // The record with the spent refresh token is gone, so no later start sends it.
    expect(await hasStoredRecord(dir, config)).toBe(false);

    // The next refresh uses the rotated token, so the session goes on.
    const before = fx.countRequests('/token');
    await h.app.session.refresh({ force: true });
    expect(fx.countRequests('/token')).toBe(before + 1);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-in', lastError: null });
  });

  it('stays signed in offline from the cached profile when the provider is gone at restore', async () => {
    const own = await startDevIdp({ autoLogin: 'alice' });
    let closed = false;
    onTestFinished(async () => {
      if (!closed) await own.close();
    });
    const config = devIdpConfig(own.issuer, own.clientId);
    const dir = await signedInFolder(config, 'dev');
    const stored = await expireStoredAccessToken(dir, config);
    await own.close();
    closed = true;

    const h = await start(config, dir);
    expect(h.app.session.snapshot()).toMatchObject({
      status: 'signed-in',
      offline: true,
      remembered: true,
      user: stored.profile,
      lastError: { code: 'provider_unreachable' },
    });
    expect(h.logs.some((r) => r.msg === 'refresh will be retried')).toBe(true);
    // Nothing was lost: the record is still there for when the provider is back.
    expect((await readStored(dir, config)).tokens.refreshToken).toBe(stored.tokens.refreshToken);
  });

  it('retries a refresh that met a 5xx and recovers by itself once the provider is back', async () => {
    const fx = await misbehaving();
    const config = misbehavingConfig(fx);
    const dir = await signedInFolder(config, 'fixture');
    const stored = await expireStoredAccessToken(dir, config);
    fx.setMode('refresh-500');

    const h = await start(config, dir, { retryBaseMs: 100, retryMaxMs: 400 });
    expect(h.app.session.snapshot()).toMatchObject({
      status: 'signed-in',
      offline: true,
      user: stored.profile,
      lastRefreshAt: null,
      lastError: { code: 'provider_unreachable' },
    });
    // It keeps trying while the provider fails...
    await expect.poll(() => fx.countRequests('/token'), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-in', offline: true });

    // ...and the next retry after the provider recovers succeeds.
    fx.setMode('ok');
    await expect.poll(() => h.app.session.snapshot().offline, { timeout: 10_000 }).toBe(false);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-in', lastError: null });
    expect(h.app.session.snapshot().lastRefreshAt).not.toBeNull();
    expect((await readStored(dir, config)).tokens.refreshToken).not.toBe(stored.tokens.refreshToken);
  });

  it('waits out a refresh moment beyond the 24.8-day timer limit instead of refreshing at once', async () => {
    // Some providers issue access tokens for months; Node fires an over-long timer after 1 ms.
    const longLived = await startDevIdp({ autoLogin: 'alice', accessTokenTtlSeconds: 60 * 24 * 60 * 60 });
    onTestFinished(() => longLived.close());
    const config = devIdpConfig(longLived.issuer, longLived.clientId);
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    onTestFinished(() => {
      process.off('warning', onWarning);
    });
    const h = await start(config, await userData());
    const snapshot = await h.app.session.signIn('dev', { remember: true });
    expect(snapshot.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 59 * 24 * 60 * 60_000);
    const tokens = longLived.requests.filter((r) => r.path === '/token').length;

    // A round trip through the provider's API: an immediate refresh would be under way by its end.
    expect((await h.app.core.api.get('me')).status).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).not.toContain('TimeoutOverflowWarning');
    expect(longLived.requests.filter((r) => r.path === '/token').length).toBe(tokens);
    expect(h.app.session.snapshot()).toMatchObject({ refreshing: false, lastRefreshAt: null });
  });

  it('refreshes once on resume when the machine slept past the refresh moment', async () => {
    const clock = testClock();
    const dir = await userData();
    const h = await startAppWithClock({ browser, config: devConfig, clock, userDataDir: dir, refreshPolicy: NO_RETRY });
    onTestFinished(() => h.stop());
    const signedIn = await h.app.session.signIn('dev', { remember: true });
    const before = devTokenRequests();

    // Awake and nothing due: resume does not refresh.
    h.platform.emitResume();
    expect(h.app.session.snapshot().refreshing).toBe(false);
    expect(devTokenRequests()).toBe(before);

    // Ten minutes of sleep: the wall clock moved on, the refresh timer did not fire.
    clock.advance(10 * 60_000);
    h.platform.emitResume();
    await expect.poll(() => h.app.session.snapshot().lastRefreshAt).not.toBeNull();
    expect(devTokenRequests()).toBe(before + 1);
    const snapshot = h.app.session.snapshot();
    expect(snapshot).toMatchObject({ status: 'signed-in', offline: false, refreshing: false, user: signedIn.user });
    expect(snapshot.accessTokenExpiresAt).toBeGreaterThan(clock.now());
  });
});
