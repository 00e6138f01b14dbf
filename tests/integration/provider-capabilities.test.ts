/**
 * A provider whose metadata refuses what this app requires (PKCE with S256) is refused before
 * the browser opens, with a typed error.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseAuthConfig } from '../../electron/auth/config.js';
import { sendJson, startFixtureServer, type FixtureServer } from '../support/fixtures/http-util.js';
import { startHeadlessApp } from '../support/headless-app.js';

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer((_req, res, url) => {
    if (url.pathname !== '/.well-known/openid-configuration') return sendJson(res, 404, {});
    sendJson(res, 200, {
      issuer: server.baseUrl,
      authorization_endpoint: `${server.baseUrl}/authorize`,
      token_endpoint: `${server.baseUrl}/token`,
      jwks_uri: `${server.baseUrl}/jwks`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['plain'],
    });
  });
});
afterAll(() => server?.close());

it('refuses a provider that does not offer PKCE with S256, without opening the browser', async () => {
  const config = parseAuthConfig({ providers: [{ id: 'p', label: 'Plain-only', issuer: server.baseUrl, clientId: 'c' }] });
  const h = await startHeadlessApp({ config, window: false, openExternal: async () => undefined });
  try {
    await expect(h.app.session.signIn('p', { remember: false })).rejects.toMatchObject({ code: 'provider_invalid_response' });
    expect(h.platform.openedUrls).toEqual([]);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-out', lastError: { code: 'provider_invalid_response' } });
  } finally {
    await h.stop({ removeUserData: true });
  }
});
