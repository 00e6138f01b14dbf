/**
 * Races a person (or the OS) can cause: cancel while the provider is still being looked up, a
 * second sign-in while signed in, quitting or signing out while a refresh is in flight. Each must
 * leave the snapshot right and never lose or leak a rotated refresh token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseAuthConfig } from '../../electron/auth/config.js';
import { followAuthorizeRedirect, sendJson, startFixtureServer } from '../support/fixtures/http-util.js';
import { startMisbehavingOidc, type MisbehavingOidc } from '../support/fixtures/misbehaving-oidc.js';
import { startHeadlessApp, type HeadlessApp } from '../support/headless-app.js';
import type { StoredSession } from '../../electron/auth/session-record.js';
import { misbehavingConfig, readStored } from '../support/session-fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function provider(): Promise<MisbehavingOidc> {
  const fx = await startMisbehavingOidc({ mode: 'ok', tokenDelayMs: 400 });
  cleanups.push(() => fx.close());
  return fx;
}

/**
 * An app whose "system browser" follows the fixture's redirect and hands the callback back, while
 * `browser.delivers` is true; set it false to leave an attempt pending.
 */
async function appFor(fx: MisbehavingOidc, browser: { delivers: boolean } = { delivers: true }): Promise<HeadlessApp> {
  let h: HeadlessApp | undefined = undefined;
  h = await startHeadlessApp({
    config: misbehavingConfig(fx),
    window: false,
    openExternal: async (url) => {
      if (browser.delivers) h?.platform.deliverDeepLink((await followAuthorizeRedirect(url)).href);
    },
  });
  const app = h;
  cleanups.push(() => app.stop({ removeUserData: true }));
  return app;
}

/** Signed in and remembered, with a refresh under way that the provider is slow to answer. */
async function signedInWithSlowRefresh(): Promise<{ fx: MisbehavingOidc; h: HeadlessApp; before: StoredSession; refresh: Promise<unknown> }> {
  const fx = await provider();
  const h = await appFor(fx);
  await h.app.session.signIn('fixture', { remember: true });
  const before = await readStored(h.userDataDir, misbehavingConfig(fx));
  fx.setMode('slow-token');
  const arrived = fx.waitForRequest('/token');
  const refresh = h.app.session.refresh({ force: true }).catch((e: unknown) => e);
  await arrived;
  return { fx, h, before, refresh };
}

describe('session races', () => {
  it('a cancel while the provider is still being looked up stops the sign-in before the browser opens', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = await startFixtureServer(async (_req, res) => {
      await held;
      sendJson(res, 503, {});
    });
    cleanups.push(() => server.close());
    const config = parseAuthConfig({ providers: [{ id: 'p', label: 'Slow', issuer: server.baseUrl, clientId: 'c' }] });
    const h = await startHeadlessApp({ config, window: false, openExternal: async () => undefined });
    cleanups.push(() => h.stop({ removeUserData: true }));

    const attempt = h.app.session.signIn('p', { remember: false }).catch((e: unknown) => e);
    await server.waitForRequest('/.well-known/openid-configuration');
    h.app.session.cancelSignIn();
    release();
    expect(await attempt).toMatchObject({ code: 'cancelled' });
    expect(h.platform.openedUrls).toEqual([]);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-out', pending: null });
  });

  it('a second sign-in while signed in that is cancelled leaves the first session signed in', async () => {
    const browser = { delivers: true };
    const app = await appFor(await provider(), browser);
    const first = await app.app.session.signIn('fixture', { remember: true });
    browser.delivers = false;
    const again = app.app.session.signIn('fixture', { remember: true }).catch((e: unknown) => e);
    await expect.poll(() => app.app.session.snapshot().pending).not.toBeNull();
    const superseding = app.app.session.signIn('fixture', { remember: true }).catch((e: unknown) => e);
    expect(await again).toMatchObject({ code: 'superseded' });
    await expect.poll(() => app.platform.openedUrls.length).toBe(3);
    app.app.session.cancelSignIn();
    expect(await superseding).toMatchObject({ code: 'cancelled' });
    expect(app.app.session.snapshot()).toMatchObject({ status: 'signed-in', user: first.user, pending: null });
  });

  it('quitting during a refresh waits for the rotated refresh token to reach the disk', async () => {
    const { fx, h, before, refresh } = await signedInWithSlowRefresh();
    await h.app.stop();
    const after = await readStored(h.userDataDir, misbehavingConfig(fx));
    expect(after.tokens.refreshToken).not.toBe(before.tokens.refreshToken);
    expect(after.revision).toBe(before.revision + 1);
    await refresh;
  });

  it('signing out during a refresh revokes the rotated refresh token, not the spent one', async () => {
    const { fx, h, before, refresh } = await signedInWithSlowRefresh();
    fx.setMode('ok');
    const result = await h.app.session.signOut({ atProvider: false });
    expect(result.revoked).toBe(true);
    expect(fx.revokedTokens).not.toContain(before.tokens.refreshToken);
    expect(fx.revokedTokens).toHaveLength(1);
    expect(h.app.session.snapshot().status).toBe('signed-out');
    // Nothing refreshes after sign-out began.
    await expect(h.app.session.refresh({ force: true })).rejects.toMatchObject({ code: 'unauthenticated' });
    await refresh;
  });

  it('a refresh that finishes after a new sign-in neither replaces nor overwrites the new session', async () => {
    const fx = await provider();
    const h = await appFor(fx);
    await h.app.session.signIn('fixture', { remember: false });
    fx.setMode('slow-token');
    const arrived = fx.waitForRequest('/token');
    const refresh = h.app.session.refresh({ force: true }).catch((e: unknown) => e);
    await arrived;
    fx.setMode('ok');
    // The new sign-in (remembered) completes while the old session's refresh is still waiting.
    await h.app.session.signIn('fixture', { remember: true });
    await refresh;
    const stored = await readStored(h.userDataDir, misbehavingConfig(fx));
    expect(await h.app.session.getAccessToken()).toBe(stored.tokens.accessToken);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-in', remembered: true, lastError: null });
  });

  it('closing the app while a loopback sign-in is still looking up the provider opens nothing and leaves no port', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const fx = await provider();
    // A provider whose discovery answers (correctly) only when the test says so.
    const server = await startFixtureServer(async (_req, res) => {
      await held;
      sendJson(res, 200, {
        issuer: server.baseUrl,
        authorization_endpoint: `${fx.issuer}/authorize`,
        token_endpoint: `${fx.issuer}/token`,
        jwks_uri: `${fx.issuer}/jwks`,
        code_challenge_methods_supported: ['S256'],
      });
    });
    cleanups.push(() => server.close());
    const config = parseAuthConfig({ providers: [{ id: 'p', label: 'Slow', issuer: server.baseUrl, clientId: fx.clientId, redirect: { kind: 'loopback' } }] });
    const h = await startHeadlessApp({ config, window: false, openExternal: async () => undefined });
    const attempt = h.app.session.signIn('p', { remember: false }).catch((e: unknown) => e);
    await server.waitForRequest('/.well-known/openid-configuration');
    const stopped = h.stop({ removeUserData: true });
    release();
    await stopped;
    expect(await attempt).toMatchObject({ code: 'cancelled' });
    expect(h.platform.openedUrls).toEqual([]);
  });

  it('signing out abandons a sign-in in progress', async () => {
    const browser = { delivers: true };
    const app = await appFor(await provider(), browser);
    await app.app.session.signIn('fixture', { remember: true });
    browser.delivers = false;
    const again = app.app.session.signIn('fixture', { remember: true }).catch((e: unknown) => e);
    await expect.poll(() => app.app.session.snapshot().pending).not.toBeNull();
    await app.app.session.signOut({ atProvider: false });
    expect(await again).toMatchObject({ code: 'cancelled' });
    expect(app.app.session.snapshot()).toMatchObject({ status: 'signed-out', pending: null });
  });
});
