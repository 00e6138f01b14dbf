/**
 * A plain OAuth 2.0 provider configured by endpoints (the GitHub-like fixture): no discovery, no ID
 * token, no nonce, a client secret, and the profile read from its API through a field mapping.
 * Chromium is the system browser; the fixture redirects without a form.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { GITHUB_USER, startGithubLikeProvider, type GithubLikeProvider } from '../support/fixtures/github-like.js';
import { startHeadlessApp } from '../support/headless-app.js';
import { githubConfig } from '../support/session-fixtures.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function startProvider(): Promise<GithubLikeProvider> {
  const provider = await startGithubLikeProvider();
  onTestFinished(() => provider.close());
  return provider;
}


describe('a plain OAuth 2.0 provider', () => {
  it('signs in through the private-use scheme, maps the numeric id to sub and sends no nonce', async () => {
    const gh = await startProvider();
    const h = await startHeadlessApp({ browser, config: githubConfig(gh), window: false });
    onTestFinished(() => h.stop({ removeUserData: true }));

    const snapshot = await h.app.session.signIn('github', { remember: true });
    expect(snapshot).toMatchObject({
      status: 'signed-in',
      providerId: 'github',
      providerLabel: 'GitHub',
      remembered: true,
      user: { sub: String(GITHUB_USER.id), name: GITHUB_USER.name, email: GITHUB_USER.email, picture: `${gh.baseUrl}/avatars/octo.png` },
    });
    expect(snapshot.user?.sub).toBe('4242');

    const opened = new URL(h.platform.openedUrls[0] ?? '');
    expect(`${opened.origin}${opened.pathname}`).toBe(gh.authorizationEndpoint);
    expect(opened.searchParams.get('redirect_uri')).toBe('com.example.desktop:/callback');
    expect(opened.searchParams.get('code_challenge_method')).toBe('S256');
    expect(opened.searchParams.get('scope')).toBe('read:user user:email');
    expect(opened.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(opened.searchParams.has('nonce')).toBe(false);

    // No discovery for a provider configured by endpoints; one code exchange and one profile fetch.
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /login/oauth/authorize',
      'POST /login/oauth/access_token',
      'GET /api/user',
    ]);
    const saved = await h.app.core.vault.read();
    expect(saved).toMatchObject({ kind: 'ok', session: { providerId: 'github', profile: { sub: '4242' }, tokens: { idToken: null } } });

    // Sign-out revokes the refresh token at the configured endpoint (RFC 7009).
    const result = await h.app.session.signOut({ atProvider: true });
    expect(result).toMatchObject({ revoked: true, revocationError: null, endSessionOpened: false });
    expect(gh.revokedTokens).toHaveLength(1);
    expect(gh.revokedTokens[0]).toMatch(/^ghr_/);
  });

  it('signs in through a loopback redirect on an ephemeral port', async () => {
    const gh = await startProvider();
    const h = await startHeadlessApp({ browser, config: githubConfig(gh, { redirect: { kind: 'loopback' } }), window: false });
    onTestFinished(() => h.stop({ removeUserData: true }));

    const snapshot = await h.app.session.signIn('github', { remember: false });
    expect(snapshot).toMatchObject({ status: 'signed-in', remembered: false, notRememberedReason: 'not-requested', user: { sub: '4242', name: 'Octo Cat' } });
    const opened = new URL(h.platform.openedUrls[0] ?? '');
    expect(opened.searchParams.has('nonce')).toBe(false);
    const redirect = new URL(opened.searchParams.get('redirect_uri') ?? '');
    expect(redirect.hostname).toBe('127.0.0.1');
    expect(redirect.pathname).toBe('/callback');
    expect(Number(redirect.port)).toBeGreaterThan(0);
    // One use: the listener is gone once the callback arrived.
    await expect(fetch(redirect)).rejects.toThrow();
    expect(await h.app.core.vault.read()).toEqual({ kind: 'empty' });
  });

  it('ends with access_denied and the provider’s words when the person declines', async () => {
    const gh = await startProvider();
    gh.setDecision('deny');
    const h = await startHeadlessApp({ browser, config: githubConfig(gh), window: false });
    onTestFinished(() => h.stop({ removeUserData: true }));

    await expect(h.app.session.signIn('github', { remember: true })).rejects.toMatchObject({
      code: 'access_denied',
      message: 'The user has denied your application access.',
    });
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-out', pending: null, lastError: { code: 'access_denied' } });
    expect(gh.countRequests('/login/oauth/access_token')).toBe(0);
    expect(await h.app.core.vault.read()).toEqual({ kind: 'empty' });
  });

  it('sends the configured client secret: a wrong one is refused by the token endpoint', async () => {
    const gh = await startProvider();
    const h = await startHeadlessApp({ browser, config: githubConfig(gh, { clientSecret: 'wrong-secret' }), window: false });
    onTestFinished(() => h.stop({ removeUserData: true }));

    await expect(h.app.session.signIn('github', { remember: true })).rejects.toMatchObject({ code: 'provider_error' });
    expect(gh.countRequests('/login/oauth/access_token')).toBe(1);
    expect(gh.countRequests('/api/')).toBe(0);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-out', lastError: { code: 'provider_error' } });
  });
});
