/**
 * The sign-in core end to end against the real dev provider, with Chromium filling in its real
 * login form as the system browser: both redirect kinds, denial, cancel, timeout, supersede.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthConfig, type AuthConfig } from '../../electron/auth/config.js';
import { startDevIdp, type DevIdp } from '../../electron/dev-idp/index.js';
import { devIdpConfig } from '../../electron/main/resolve-config.js';
import { launchChromium } from '../support/chromium.js';
import { devLogin, idle } from '../support/drivers.js';
import { startHeadlessApp } from '../support/headless-app.js';

let browser: Browser;
let idp: DevIdp;

beforeAll(async () => {
  [browser, idp] = await Promise.all([launchChromium(), startDevIdp()]);
});
afterAll(async () => {
  await idp?.close();
  await browser?.close();
});

function loopbackConfig(): AuthConfig {
  return parseAuthConfig({
    providers: [{ id: 'dev', label: 'Development provider', issuer: idp.issuer, clientId: idp.clientId, redirect: { kind: 'loopback' } }],
  });
}

describe('sign-in against the dev provider', () => {
  it('signs in through the private-use scheme, validating the ID token and fetching the profile', async () => {
    const h = await startHeadlessApp({ browser, config: devIdpConfig(idp.issuer, idp.clientId), window: false, driver: devLogin('alice') });
    try {
      const snapshot = await h.app.session.signIn('dev', { remember: true });
      expect(snapshot.status).toBe('signed-in');
      expect(snapshot.user).toMatchObject({ name: 'Alice Example', email: 'alice@example.com' });
      expect(snapshot.remembered).toBe(true);
      const opened = new URL(h.platform.openedUrls[0] ?? '');
      expect(opened.searchParams.get('code_challenge_method')).toBe('S256');
      expect(opened.searchParams.get('redirect_uri')).toBe('com.example.desktop:/callback');
      expect(opened.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
      expect(opened.searchParams.get('nonce')).toMatch(/^[\w-]{40,}$/);
      expect(JSON.stringify(snapshot)).not.toMatch(/eyJ/);
    } finally {
      await h.stop({ removeUserData: true });
    }
  });

  it('signs in through a loopback redirect on an ephemeral port, then closes the listener', async () => {
    const h = await startHeadlessApp({ browser, config: loopbackConfig(), window: false, driver: devLogin('bob') });
    try {
      const snapshot = await h.app.session.signIn('dev', { remember: false });
      expect(snapshot.user).toMatchObject({ name: 'Bob Example', picture: null });
      expect(snapshot.remembered).toBe(false);
      expect(snapshot.notRememberedReason).toBe('not-requested');
      const redirect = new URL(new URL(h.platform.openedUrls[0] ?? '').searchParams.get('redirect_uri') ?? '');
      expect(redirect.hostname).toBe('127.0.0.1');
      expect(Number(redirect.port)).toBeGreaterThan(0);
      await expect(fetch(redirect)).rejects.toThrow();
    } finally {
      await h.stop({ removeUserData: true });
    }
  });

  it('ends with access_denied when the person denies consent', async () => {
    const h = await startHeadlessApp({ browser, config: devIdpConfig(idp.issuer, idp.clientId), window: false, driver: devLogin('bob', undefined, { consent: 'deny' }) });
    try {
      await expect(h.app.session.signIn('dev', { remember: true })).rejects.toMatchObject({ code: 'access_denied' });
      expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-out', lastError: { code: 'access_denied' } });
    } finally {
      await h.stop({ removeUserData: true });
    }
  });

  it('cancels, times out, and lets a new attempt supersede a pending one', async () => {
    const config = devIdpConfig(idp.issuer, idp.clientId);
    const short = { ...config, app: { ...config.app, signInTimeoutSeconds: 1 } };
    const h = await startHeadlessApp({ browser, config: short, window: false, driver: idle });
    try {
      const first = h.app.session.signIn('dev', { remember: false }).catch((e: unknown) => e);
      await expect.poll(() => h.app.session.snapshot().pending).not.toBeNull();
      const second = h.app.session.signIn('dev', { remember: false }).catch((e: unknown) => e);
      expect(await first).toMatchObject({ code: 'superseded' });
      await expect.poll(() => h.platform.openedUrls.length).toBe(2);
      h.app.session.cancelSignIn();
      expect(await second).toMatchObject({ code: 'cancelled' });
      expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-out', pending: null, lastError: null });
      await expect(h.app.session.signIn('dev', { remember: false })).rejects.toMatchObject({ code: 'timeout' });
    } finally {
      await h.stop({ removeUserData: true });
    }
  });
});
