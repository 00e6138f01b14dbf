/** What the IdP learns from oidc-provider's events: revocations, offline_access requests, errors. */
import { Provider, type ProviderContext, type TokenModel } from 'oidc-provider';
import type { Logger } from '../auth/logger.js';
import type { OfflineAccessRequests } from './offline-access.js';

export interface DevIdpRevocation {
  /** `access_token` or `refresh_token`. */
  readonly tokenType: string;
  readonly at: number;
}

const REVOCABLE_KINDS: Record<string, string> = { AccessToken: 'access_token', RefreshToken: 'refresh_token' };

export function observeProvider(
  provider: Provider,
  observers: { logger: Logger; revocations: DevIdpRevocation[]; offlineAccess: OfflineAccessRequests },
): void {
  const { logger, revocations, offlineAccess } = observers;

  // Koa prints unhandled errors with their stack to stderr unless someone listens; we log them redacted.
  provider.on('error', (error: unknown) => logger.error('dev IdP: request failed', { error }));
  provider.on('server_error', (_ctx: unknown, error: unknown) => logger.error('dev IdP: server error', { error }));

  // The first interaction of a sign-in is started by the authorization request itself, so this
  // is where its raw `scope` is still visible (GET query or POST body).
  provider.on('interaction.started', (ctx: ProviderContext) => {
    const interaction = ctx.oidc.entities.Interaction;
    if (interaction) offlineAccess.noteRequest(interaction.cid, ctx.query['scope'] ?? ctx.oidc.body?.['scope']);
  });

  const recordRevocation = (token: TokenModel): void => {
    // `destroyed` also fires when a refresh token is rotated at the token endpoint; only the
    // revocation endpoint counts as an RFC 7009 revocation.
    const tokenType = REVOCABLE_KINDS[token.kind];
    if (tokenType && Provider.ctx?.oidc.route === 'revocation') {
      revocations.push({ tokenType, at: Date.now() });
      logger.info('dev IdP: token revoked', { tokenType });
    }
  };
  provider.on('access_token.destroyed', recordRevocation);
  provider.on('refresh_token.destroyed', recordRevocation);
}
