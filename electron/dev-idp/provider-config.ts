/**
 * The oidc-provider configuration of the development IdP: one public native client (RFC 8252),
 * code + PKCE S256 only, rotating refresh tokens, revocation, userinfo and RP-initiated logout.
 *
 * Every default function that would print an oidc-provider "you SHOULD change" notice is replaced,
 * so the provider writes nothing of its own to stdout (the CLI's stdout is one JSON line).
 */
import type { ClientMetadata, Configuration, GrantSource, JsonWebKey, ProviderContext } from 'oidc-provider';
import { CALLBACK_PATH, schemeRedirectUri } from '../auth/config.js';
import { accountClaims, findDemoAccount } from './accounts.js';
import { formTargetFor, securityHeaders, type HtmlPage } from './html.js';
import { createMemoryAdapterFactory } from './memory-adapter.js';
import type { OfflineAccessRequests } from './offline-access.js';
import { logoutPage, messagePage } from './pages.js';

export const SIGNED_OUT_PATH = '/signed-out';
export const DEV_CLIENT_NAME = 'Desktop Sign-In (development)';

export interface ProviderSettings {
  readonly issuer: string;
  readonly scheme: string;
  readonly clientId: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly jwks: { keys: JsonWebKey[] };
  readonly cookieKeys: string[];
  readonly offlineAccess: OfflineAccessRequests;
  /** Read at request time, so `setAutoLogin` takes effect on the next logout. */
  readonly confirmLogoutAutomatically: () => boolean;
}

/**
 * The app as a public native client. The loopback redirect is registered without a port: since
 * 9.x oidc-provider itself accepts any port on a loopback redirect URI of a native client
 * (RFC 8252 section 7.3; lib/models/client.js `#redirectAllowed`), so nothing is added here.
 */
export function desktopClient(scheme: string, clientId: string): ClientMetadata {
  return {
    client_id: clientId,
    client_name: DEV_CLIENT_NAME,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [schemeRedirectUri(scheme), `http://127.0.0.1${CALLBACK_PATH}`],
    post_logout_redirect_uris: [`${scheme}:${SIGNED_OUT_PATH}`, `http://127.0.0.1${SIGNED_OUT_PATH}`],
  };
}

function render(ctx: ProviderContext, page: HtmlPage): void {
  for (const [name, value] of Object.entries(securityHeaders(page))) ctx.set(name, value);
  ctx.type = 'html';
  ctx.status = page.status;
  ctx.body = page.body;
}

export function providerConfiguration(settings: ProviderSettings): Configuration {
  const { issuer, offlineAccess } = settings;
  const wantsOfflineAccess = (source: GrantSource): boolean =>
    source.scopes.has('offline_access') || offlineAccess.grantsOfflineAccess(source.grantId);
  const day = 24 * 60 * 60;
  return {
    adapter: createMemoryAdapterFactory(),
    clients: [desktopClient(settings.scheme, settings.clientId)],
    jwks: settings.jwks,
    cookies: { keys: settings.cookieKeys },
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: { openid: ['sub'], profile: ['name', 'picture'], email: ['email'] },
    // Put the granted profile claims in the ID token too, as most hosted providers do.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // A refresh token whenever the app asked for offline_access, with or without prompt=consent
    // (see offline-access.ts), and one that outlives the IdP's browser session, as offline access should.
    issueRefreshToken: (_ctx, client, source) => client.grantTypeAllowed('refresh_token') && wantsOfflineAccess(source),
    expiresWithSession: (_ctx, source) => !wantsOfflineAccess(source),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: settings.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      RefreshToken: settings.refreshTokenTtlSeconds,
      Interaction: 60 * 60,
      Session: 14 * day,
      Grant: Math.max(14 * day, settings.refreshTokenTtlSeconds),
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const account = findDemoAccount(sub);
      return account ? { accountId: account.id, claims: () => accountClaims(account, issuer) } : undefined;
    },
    // The app calls the IdP from the main process, never from a page: no CORS for anyone.
    clientBasedCORS: () => false,
    renderError: async (ctx, out) => {
      const description = out['error_description'] ?? '';
      render(ctx, messagePage(ctx.status >= 400 ? ctx.status : 400, 'Sign-in error', `${out['error'] ?? 'error'}: ${description}`));
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: {
        enabled: true,
        // A public client may revoke only its own tokens (RFC 7009 section 2.1).
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          const target = formTargetFor(ctx.oidc.params?.['post_logout_redirect_uri']);
          render(
            ctx,
            logoutPage({
              providerForm: form,
              host: ctx.host,
              automatic: settings.confirmLogoutAutomatically(),
              formTargets: target ? [target] : [],
            }),
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          render(ctx, messagePage(200, 'Signed out', 'You are signed out of the development identity provider. You can close this window.'));
        },
      },
    },
  };
}
