/**
 * The main process's API client against the GitHub-like fixture (plain OAuth 2.0, registered by
 * endpoints with an `apiBaseUrl`): bearer calls, a JSON body, one refresh-and-retry on 401, the
 * response-size cap, paths that try to leave the API base, and no call at all when signed out.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../electron/auth/config.js';
import { launchChromium } from '../support/chromium.js';
import { GITHUB_USER, startGithubLikeProvider, type GithubLikeProvider } from '../support/fixtures/github-like.js';
import { startHeadlessApp, type HeadlessApp } from '../support/headless-app.js';
import { githubConfig, readStored } from '../support/session-fixtures.js';

let browser: Browser;
let gh: GithubLikeProvider;
let config: AuthConfig;
let h: HeadlessApp;

beforeAll(async () => {
  [browser, gh] = await Promise.all([launchChromium(), startGithubLikeProvider()]);
  config = githubConfig(gh);
});
afterAll(async () => {
  await gh?.close();
  await browser?.close();
});
beforeEach(async () => {
  h = await startHeadlessApp({ browser, config, window: false });
  const snapshot = await h.app.session.signIn('github', { remember: true });
  expect(snapshot).toMatchObject({ status: 'signed-in', user: { sub: String(GITHUB_USER.id), name: GITHUB_USER.name } });
  return () => h.stop({ removeUserData: true });
});

const tokenRequests = (): number => gh.countRequests('/login/oauth/access_token');

describe('API client', () => {
  it('GETs the user with the access token', async () => {
    const calls = gh.countRequests('/api/user');
    const response = await h.app.core.api.get('user');
    expect(response).toEqual({ status: 200, data: { ...GITHUB_USER, avatar_url: `${gh.baseUrl}/avatars/octo.png` } });
    expect(gh.countRequests('/api/user')).toBe(calls + 1);
    // An unknown path is the API's answer, not an error of ours.
    expect(await h.app.core.api.get('/nope')).toEqual({ status: 404, data: { message: 'Not Found' } });
  });

  it('POSTs a JSON body and reads the JSON answer', async () => {
    const body = { title: 'Hello', tags: ['a', 'b'], nested: { n: 1, ok: true, none: null }, text: 'ünïcødé ✓' };
    expect(await h.app.core.api.post('echo', body)).toEqual({ status: 200, data: body });
  });

  it('refreshes once on a 401 and retries with the new token', async () => {
    const before = (await readStored(h.userDataDir, config)).tokens;
    const refreshes = tokenRequests();
    const calls = gh.countRequests('/api/user');
    gh.expireAccessTokens();

    const response = await h.app.core.api.get('user');

    expect(response.status).toBe(200);
    expect(response.data).toMatchObject({ id: GITHUB_USER.id });
    expect(tokenRequests()).toBe(refreshes + 1);
    expect(gh.countRequests('/api/user')).toBe(calls + 2);
    const after = (await readStored(h.userDataDir, config)).tokens;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-in', lastError: null });
    expect(h.app.session.snapshot().lastRefreshAt).not.toBeNull();

    // The new token works on its own: no further refresh.
    expect((await h.app.core.api.get('user')).status).toBe(200);
    expect(tokenRequests()).toBe(refreshes + 1);
  });

  it('refreshes once for many calls that meet a 401 together, and each retries with the new token', async () => {
    const refreshes = tokenRequests();
    gh.expireAccessTokens();
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? h.app.core.api.get('user') : h.app.core.api.post('echo', { i }))));
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(responses.filter((_, i) => i % 2 === 1).map((r) => r.data)).toEqual(Array.from({ length: 10 }, (_, k) => ({ i: 2 * k + 1 })));
    expect(tokenRequests()).toBe(refreshes + 1);
  });

  it('refuses a response over the size cap with response_too_large', async () => {
    await expect(h.app.core.api.get('big')).rejects.toMatchObject({ code: 'response_too_large' });
    // The session is unharmed.
    expect((await h.app.core.api.get('user')).status).toBe(200);
  });

  it('refuses paths that leave the API base with invalid_request, before any request', async () => {
    const requests = gh.requests.length;
    for (const path of ['../x', '../../login/oauth/access_token', 'user/../../x', '%2e%2e/x', '..\\x', 'https://evil.example/', 'HTTP://evil.example', 'javascript:alert(1)']) {
      await expect(h.app.core.api.get(path), path).rejects.toMatchObject({ code: 'invalid_request' });
    }
    await expect(h.app.core.api.post('https://evil.example/', { a: 1 })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(gh.requests.length).toBe(requests);

    // A scheme-relative path is just a path under the base: it reaches the API, not another host.
    expect(await h.app.core.api.get('//evil.example/user')).toMatchObject({ status: 404 });
    expect(gh.requests.slice(requests)).toEqual([{ method: 'GET', path: '/api/evil.example/user' }]);
  });

  it('answers unauthenticated when signed out, without calling the API', async () => {
    await h.app.session.signOut({ atProvider: false });
    const requests = gh.requests.length;
    await expect(h.app.core.api.get('user')).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(h.app.core.api.post('echo', {})).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(gh.requests.length).toBe(requests);
  });
});
