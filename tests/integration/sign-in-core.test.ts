/**
 * The sign-in core against real providers on 127.0.0.1, with the test in the system browser's seat:
 * it takes the authorization URL the app opened, fetches the provider's redirect itself and hands
 * the callback URL to the app as the OS would. That lets it deliver forged, replayed and stray
 * callbacks and count exactly what the app sent to the provider.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import { createAuthCore, type AuthCore } from '../../electron/auth/auth-core.js';
import { createConfStore } from '../../electron/auth/conf-store.js';
import { parseAuthConfig, type AuthConfig } from '../../electron/auth/config.js';
import { createLogger, type LogRecord } from '../../electron/auth/logger.js';
import type { SessionSnapshot } from '../../electron/contract.js';
import { startDevIdp, type DevIdp } from '../../electron/dev-idp/index.js';
import { launchChromium } from '../support/chromium.js';
import { followAuthorizeRedirect } from '../support/fixtures/http-util.js';
import { OIDC_USER, startMisbehavingOidc, type MisbehavingOidc, type MisbehavingOidcOptions } from '../support/fixtures/misbehaving-oidc.js';
import { startHeadlessApp } from '../support/headless-app.js';

const SCHEME = 'com.example.desktop';

type Settled = { ok: true; value: SessionSnapshot } | { ok: false; error: unknown };

/** A sign-in that may end before the test awaits it, without an unhandled rejection. */
function settle(promise: Promise<SessionSnapshot>): Promise<Settled> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

interface Core {
  readonly core: AuthCore;
  readonly logs: LogRecord[];
  /** Resolves with the n-th (1-based) URL the app asked the system browser to open. */
  opened(n: number): Promise<string>;
  readonly openedCount: () => number;
  ignoredCallbacks(): number;
}

/** The auth core as the app builds it, with AES-GCM and conf in a temp dir, and the test as the browser. */
async function startCore(config: AuthConfig): Promise<Core> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sign-in-core-'));
  const logs: LogRecord[] = [];
  const urls: string[] = [];
  const waiters: { n: number; resolve: (url: string) => void }[] = [];
  const core = createAuthCore({
    config,
    cipher: createAesGcmCipher(await loadOrCreateKeyFile(path.join(dir, 'vault.key'))),
    store: createConfStore({ cwd: dir, configName: 'session' }),
    openExternal: async (url) => {
      urls.push(url);
      for (const w of waiters.filter((x) => x.n === urls.length)) w.resolve(url);
    },
    logger: createLogger({ level: 'debug', sink: (r) => logs.push(r) }),
  });
  onTestFinished(async () => {
    await core.session.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  });
  await core.session.restore();
  return {
    core,
    logs,
    opened: (n) => {
      const url = urls[n - 1];
      return url !== undefined ? Promise.resolve(url) : new Promise((resolve) => waiters.push({ n, resolve }));
    },
    openedCount: () => urls.length,
    ignoredCallbacks: () => logs.filter((r) => r.msg === 'callback ignored').length,
  };
}

async function startFixture(options: Partial<MisbehavingOidcOptions> = {}): Promise<MisbehavingOidc> {
  const fixture = await startMisbehavingOidc({ mode: 'ok', ...options });
  onTestFinished(() => fixture.close());
  return fixture;
}

function fixtureConfig(issuer: string, clientId: string, app: Record<string, unknown> = {}): AuthConfig {
  return parseAuthConfig({ app, providers: [{ id: 'fx', label: 'Fixture IdP', issuer, clientId }] });
}

/** The callback URL with one query parameter changed. */
function withParam(url: URL, name: string, value: string): string {
  const copy = new URL(url.href);
  copy.searchParams.set(name, value);
  return copy.href;
}

describe('incoming callback URLs', () => {
  it('ignores a callback with another state, keeps the attempt pending, then completes on the right one', async () => {
    const fx = await startFixture();
    const c = await startCore(fixtureConfig(fx.issuer, fx.clientId));
    const signing = settle(c.core.session.signIn('fx', { remember: true }));
    const callback = await followAuthorizeRedirect(await c.opened(1));
    expect(callback.searchParams.get('code')).toBeTruthy();

    c.core.session.handleIncomingUrl(withParam(callback, 'state', 'forged-state'));
    expect(c.ignoredCallbacks()).toBe(1);
    expect(c.core.session.snapshot()).toMatchObject({ status: 'signing-in', pending: { providerId: 'fx' } });
    expect(fx.countRequests('/token')).toBe(0);

    c.core.session.handleIncomingUrl(callback.href);
    const outcome = await signing;
    expect(outcome).toMatchObject({ ok: true, value: { status: 'signed-in', user: { sub: OIDC_USER.sub, name: OIDC_USER.name }, pending: null } });
    expect(fx.countRequests('/token')).toBe(1);
  });

  it('ignores another scheme, the host form and another path, even with the right state and a live code', async () => {
    const fx = await startFixture();
    const c = await startCore(fixtureConfig(fx.issuer, fx.clientId));
    const signing = settle(c.core.session.signIn('fx', { remember: false }));
    const callback = await followAuthorizeRedirect(await c.opened(1));
    const query = callback.search;
    const strays = [
      `com.example.other:/callback${query}`,
      `${SCHEME}://callback${query}`,
      `${SCHEME}:/callback/x${query}`,
      `${SCHEME}:/signed-out${query}`,
      `https://example.com/callback${query}`,
      `${callback.href}&code=second`,
      `${callback.href}&state=${callback.searchParams.get('state') ?? ''}`,
      'x'.repeat(9000),
      '%%%',
    ];
    for (const stray of strays) c.core.session.handleIncomingUrl(stray);
    expect(c.ignoredCallbacks()).toBe(strays.length);
    expect(c.core.session.snapshot().pending).not.toBeNull();
    expect(fx.countRequests('/token')).toBe(0);

    c.core.session.handleIncomingUrl(callback.href);
    expect((await signing).ok).toBe(true);
  });

  it('ignores a replayed callback: one token request, and the session stays as it was', async () => {
    const fx = await startFixture();
    const c = await startCore(fixtureConfig(fx.issuer, fx.clientId));
    const signing = settle(c.core.session.signIn('fx', { remember: true }));
    const callback = (await followAuthorizeRedirect(await c.opened(1))).href;

    // The OS delivers the link again at every step of the completion, and once more after it.
    let replays = 0;
    const unsubscribe = c.core.session.subscribe(() => {
      replays += 1;
      c.core.session.handleIncomingUrl(callback);
    });
    c.core.session.handleIncomingUrl(callback);
    c.core.session.handleIncomingUrl(callback);
    replays += 1;
    const outcome = await signing;
    unsubscribe();
    expect(outcome.ok).toBe(true);
    const signedIn = c.core.session.snapshot();
    expect(signedIn).toMatchObject({ status: 'signed-in', remembered: true });
    const saved = await c.core.vault.read();

    c.core.session.handleIncomingUrl(callback);
    replays += 1;
    // Every replay ends in the debug log as ignored, including those checked against the stored attempt.
    await expect.poll(() => c.ignoredCallbacks()).toBe(replays);
    expect(fx.countRequests('/token')).toBe(1);
    expect(c.core.requests.byPath.get('/token')).toBe(1);
    expect(c.core.session.snapshot()).toBe(signedIn);
    expect(await c.core.vault.read()).toEqual(saved);
  });

  it('ignores any callback when no attempt is pending, and never throws', async () => {
    const fx = await startFixture();
    const c = await startCore(fixtureConfig(fx.issuer, fx.clientId));
    const before = c.core.session.snapshot();
    const inputs: unknown[] = [
      `${SCHEME}:/callback?code=abc&state=xyz`,
      `${SCHEME}:/callback?error=access_denied&state=xyz`,
      undefined,
      null,
      42,
      { href: `${SCHEME}:/callback?code=abc&state=xyz` },
      'x'.repeat(100_000),
    ];
    for (const input of inputs) expect(() => c.core.session.handleIncomingUrl(input)).not.toThrow();
    await expect.poll(() => c.ignoredCallbacks()).toBe(inputs.length);
    expect(c.core.session.snapshot()).toBe(before);
    expect(before).toMatchObject({ status: 'signed-out', lastError: null });
    expect(fx.requests).toEqual([]);
  });
});

describe('errors from the provider and the network', () => {
  it('turns an error=login_required callback into a typed login_required with the provider’s words', async () => {
    const fx = await startFixture();
    const c = await startCore(fixtureConfig(fx.issuer, fx.clientId));
    const signing = settle(c.core.session.signIn('fx', { remember: true }));
    const authUrl = new URL(await c.opened(1));
    const back = new URL(authUrl.searchParams.get('redirect_uri') ?? '');
    back.searchParams.set('error', 'login_required');
    back.searchParams.set('error_description', 'The user must sign in again.');
    back.searchParams.set('state', authUrl.searchParams.get('state') ?? '');
    c.core.session.handleIncomingUrl(back.href);

    const outcome = await signing;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'login_required', message: 'The user must sign in again.' } });
    expect(c.core.session.snapshot()).toMatchObject({
      status: 'signed-out',
      pending: null,
      lastError: { code: 'login_required', message: 'The user must sign in again.' },
    });
    expect(fx.countRequests('/token')).toBe(0);
  });

  it('fails with provider_unreachable at sign-in start when the provider is down, opening nothing', async () => {
    const fx = await startMisbehavingOidc({ mode: 'ok' });
    await fx.close(); // its port is now closed
    const c = await startCore(fixtureConfig(fx.issuer, fx.clientId));
    const outcome = await settle(c.core.session.signIn('fx', { remember: true }));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'provider_unreachable' } });
    expect(c.openedCount()).toBe(0);
    expect(c.core.session.snapshot()).toMatchObject({ status: 'signed-out', pending: null, lastError: { code: 'provider_unreachable' } });
  });

  it('gives up on a slow token endpoint within requestTimeoutSeconds', async () => {
    const fx = await startFixture({ mode: 'slow-token', tokenDelayMs: 5000 });
    const c = await startCore(fixtureConfig(fx.issuer, fx.clientId, { requestTimeoutSeconds: 1 }));
    const signing = settle(c.core.session.signIn('fx', { remember: true }));
    const callback = await followAuthorizeRedirect(await c.opened(1));
    const tokenRequest = fx.waitForRequest('/token');
    const started = performance.now();
    c.core.session.handleIncomingUrl(callback.href);
    await tokenRequest;

    const outcome = await signing;
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'provider_unreachable' } });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(4000);
    expect(await c.core.vault.read()).toEqual({ kind: 'empty' });
  });

  it('gives up on a discovery endpoint that never answers within requestTimeoutSeconds', async () => {
    const silent: Server = createServer(() => undefined); // accepts and never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    onTestFinished(
      () =>
        new Promise<void>((resolve) => {
          silent.close(() => resolve());
          silent.closeAllConnections();
        }),
    );
    const issuer = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const c = await startCore(fixtureConfig(issuer, 'client', { requestTimeoutSeconds: 1 }));
    const started = performance.now();
    const outcome = await settle(c.core.session.signIn('fx', { remember: true }));
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'provider_unreachable' } });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(4000);
    expect(c.openedCount()).toBe(0);
  });
});

describe('discovery', () => {
  it('is fetched once and cached across attempts', async () => {
    const fx = await startFixture();
    const c = await startCore(fixtureConfig(fx.issuer, fx.clientId));

    const first = settle(c.core.session.signIn('fx', { remember: false }));
    await c.opened(1);
    c.core.session.cancelSignIn();
    expect(await first).toMatchObject({ ok: false, error: { code: 'cancelled' } });

    const second = settle(c.core.session.signIn('fx', { remember: false }));
    c.core.session.handleIncomingUrl((await followAuthorizeRedirect(await c.opened(2))).href);
    expect((await second).ok).toBe(true);

    const third = settle(c.core.session.signIn('fx', { remember: false }));
    c.core.session.handleIncomingUrl((await followAuthorizeRedirect(await c.opened(3))).href);
    expect((await third).ok).toBe(true);

    expect(fx.countRequests('/.well-known/')).toBe(1);
    expect(fx.countRequests('/jwks')).toBe(1);
    expect(fx.countRequests('/token')).toBe(2);
  });

  it('is not cached when it fails, so the next attempt retries', async () => {
    const fx = await startFixture({ mode: 'discovery-500' });
    const c = await startCore(fixtureConfig(fx.issuer, fx.clientId));
    expect(await settle(c.core.session.signIn('fx', { remember: false }))).toMatchObject({ ok: false, error: { code: 'provider_unreachable' } });
    fx.setMode('ok');
    const signing = settle(c.core.session.signIn('fx', { remember: false }));
    c.core.session.handleIncomingUrl((await followAuthorizeRedirect(await c.opened(1))).href);
    expect((await signing).ok).toBe(true);
    expect(fx.countRequests('/.well-known/')).toBe(2);
  });
});

describe('through the whole app against the dev provider', () => {
  let browser: Browser;
  let idp: DevIdp;

  beforeAll(async () => {
    [browser, idp] = await Promise.all([launchChromium(), startDevIdp({ autoLogin: 'alice' })]);
  });
  afterAll(async () => {
    await idp?.close();
    await browser?.close();
  });

  it('signs in twice with one discovery request, and ignores the first callback replayed afterwards', async () => {
    const config = parseAuthConfig({ providers: [{ id: 'dev', label: 'Development provider', issuer: idp.issuer, clientId: idp.clientId }] });
    const h = await startHeadlessApp({ browser, config, window: false });
    onTestFinished(() => h.stop({ removeUserData: true }));
    const callbacks: string[] = [];
    h.platform.onDeepLink((url) => {
      callbacks.push(url);
      h.app.handleDeepLink(url);
    });
    idp.resetRequests();

    expect(await h.app.session.signIn('dev', { remember: true })).toMatchObject({ status: 'signed-in', user: { name: 'Alice Example' } });
    await h.app.session.signOut({ atProvider: false });
    const second = await h.app.session.signIn('dev', { remember: true });
    expect(second).toMatchObject({ status: 'signed-in' });
    expect(idp.countRequests('/.well-known/openid-configuration')).toBe(1);
    const tokenRequests = (): number => idp.requests.filter((r) => r.path === '/token').length;
    expect(tokenRequests()).toBe(2);

    const ignoredBefore = h.logs.filter((r) => r.msg === 'callback ignored').length;
    const first = callbacks[0];
    expect(first).toMatch(/^com\.example\.desktop:\/callback\?/);
    h.platform.deliverDeepLink(first ?? '');
    await expect.poll(() => h.logs.filter((r) => r.msg === 'callback ignored').length).toBe(ignoredBefore + 1);
    expect(tokenRequests()).toBe(2);
    expect(h.app.session.snapshot()).toBe(second);
  });
});
