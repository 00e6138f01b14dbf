/**
 * Sign-out at the provider, after the local sign-out has completed: revoke the refresh token
 * (RFC 7009) and, on request, open the provider's end-session page (RP-initiated logout) in the
 * system browser. Failures are reported in the result, never thrown: the user is signed out anyway.
 */
import type { SignOutResult } from '../contract.js';
import { toErrorValue } from './errors.js';
import type { Logger } from './logger.js';
import type { OpenExternal } from './ports.js';
import type { ProviderClient } from './provider-client.js';
import type { StoredSession } from './session-record.js';

export async function signOutAtProvider(options: {
  readonly client: ProviderClient | undefined;
  readonly session: StoredSession;
  readonly openEndSession: boolean;
  readonly postLogoutRedirectUri: string;
  readonly openExternal: OpenExternal;
  readonly logger: Logger;
}): Promise<SignOutResult> {
  const { client, session, logger } = options;
  let revoked = false;
  let revocationError: SignOutResult['revocationError'] = null;
  let endSessionOpened = false;
  if (!client) return { revoked, revocationError, endSessionOpened };

  // Revoking the refresh token ends the grant; an access token alone is all a provider may have issued.
  const token = session.tokens.refreshToken ?? session.tokens.accessToken;
  try {
    revoked = await client.revoke(token, session.tokens.refreshToken ? 'refresh_token' : 'access_token');
  } catch (error) {
    revocationError = toErrorValue(error);
    logger.warn('revocation failed; signed out locally', { error });
  }
  if (options.openEndSession) {
    try {
      const url = await client.endSessionUrl(session.tokens.idToken, options.postLogoutRedirectUri);
      if (url) {
        await options.openExternal(url.href);
        endSessionOpened = true;
      }
    } catch (error) {
      logger.warn('provider sign-out page could not be opened', { error });
    }
  }
  return { revoked, revocationError, endSessionOpened };
}
