/**
 * Turns what openid-client throws into our typed errors. openid-client does the checks
 * (signature, issuer, audience, nonce, expiry, state, subject); this only names the outcome.
 */
import * as oidc from 'openid-client';
import { AuthError, type ErrorCode } from './errors.js';

/** What the core was doing, because the same provider answer means different things per step. */
export type ProtocolStep = 'discovery' | 'authorization' | 'code-exchange' | 'userinfo' | 'refresh' | 'revocation' | 'api';

const STEP_WORDS: Record<ProtocolStep, string> = {
  discovery: 'reading its configuration',
  authorization: 'signing in',
  'code-exchange': 'exchanging the authorization code',
  userinfo: 'fetching the profile',
  refresh: 'refreshing the session',
  revocation: 'revoking the session',
  api: 'calling its API',
};

const LOGIN_REQUIRED = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);

/** The code for an authorization error response (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6). */
export function authorizationErrorCode(error: string): ErrorCode {
  return error === 'access_denied' ? 'access_denied' : LOGIN_REQUIRED.has(error) ? 'login_required' : 'provider_error';
}

function findAuthError(error: unknown, depth = 0): AuthError | undefined {
  if (error instanceof AuthError) return error;
  if (depth > 5 || !(error instanceof Error)) return undefined;
  return findAuthError(error.cause, depth + 1);
}

/** Refresh-token errors that mean the grant is gone (RFC 6749 `invalid_grant`, GitHub's names). */
const EXPIRED_GRANT = new Set(['invalid_grant', 'bad_refresh_token', 'expired_token']);

/** The `error` member of a JSON body that openid-client kept as the cause of a failed check. */
function oauthErrorInBody(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const body = (current as { body?: unknown }).body;
    if (body !== null && typeof body === 'object') {
      const value = (body as { error?: unknown }).error;
      if (typeof value === 'string' && value.length > 0) return value.slice(0, 100);
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeRecord(error: unknown): Record<string, unknown> {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause !== null && typeof cause === 'object' ? (cause as Record<string, unknown>) : {};
}

/**
 * openid-client often wraps the precise failure ("JWT signature verification failed") in a generic
 * one ("invalid response encountered"); the innermost message is the one that says what happened.
 */
function innermostMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : '';
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    // Only the libraries' own errors: a SyntaxError from JSON.parse quotes the body, which may hold a token.
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('OAUTH_') && current.message) message = current.message;
    current = current.cause;
  }
  return message;
}

/** The provider's own words, trimmed: they reach the screen as detail, so keep them short and plain. */
export function providerText(text: unknown): string {
  return typeof text === 'string' ? text.replace(/\p{Cc}/gu, ' ').slice(0, 300) : '';
}

export function toProtocolError(error: unknown, step: ProtocolStep, providerLabel: string): AuthError {
  const inner = findAuthError(error);
  if (inner) return inner;
  const doing = STEP_WORDS[step];

  if (error instanceof oidc.AuthorizationResponseError) {
    const description = providerText(error.error_description);
    const code = authorizationErrorCode(error.error);
    const message = description || `${providerLabel} answered "${providerText(error.error)}" while ${doing}.`;
    return new AuthError(code, message, { cause: error, details: { providerError: error.error } });
  }
  if (error instanceof oidc.ResponseBodyError) {
    const description = providerText(error.error_description);
    if (EXPIRED_GRANT.has(error.error) && step === 'refresh') {
      return new AuthError('session_expired', 'Your session has ended. Please sign in again.', {
        cause: error,
        details: { providerError: error.error, status: error.status },
      });
    }
    if (error.status >= 500) {
      return new AuthError('provider_unreachable', `${providerLabel} had a server error (${error.status}) while ${doing}.`, {
        cause: error,
        details: { status: error.status },
      });
    }
    return new AuthError('provider_error', description || `${providerLabel} refused the request (${providerText(error.error)}) while ${doing}.`, {
      cause: error,
      details: { providerError: error.error, status: error.status },
    });
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    return new AuthError(step === 'userinfo' || step === 'api' ? 'unauthenticated' : 'provider_error', `${providerLabel} did not accept the access token while ${doing}.`, {
      cause: error,
      details: { status: error.status },
    });
  }
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  const cause = causeRecord(error);
  switch (code) {
    case 'OAUTH_TIMEOUT':
    case 'OAUTH_ABORT':
      return new AuthError('provider_unreachable', `${providerLabel} did not answer in time while ${doing}.`, { cause: error });
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
    case 'OAUTH_KEY_SELECTION_FAILED':
      return new AuthError('id_token_invalid', `The ID token from ${providerLabel} failed validation (${providerText(innermostMessage(error))}).`, {
        cause: error,
        details: { claim: cause['claim'] },
      });
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      if (step === 'userinfo') {
        return new AuthError('subject_mismatch', `The profile from ${providerLabel} belongs to a different user than the ID token.`, { cause: error });
      }
      if (step === 'discovery') {
        return new AuthError('provider_invalid_response', `${providerLabel}'s configuration names a different issuer than the one configured.`, { cause: error });
      }
      break;
    case 'OAUTH_INVALID_RESPONSE': {
      // Some providers (GitHub) answer an OAuth error with HTTP 200: the body still says what it is.
      const bodyError = oauthErrorInBody(error);
      if (bodyError !== undefined) {
        if (step === 'refresh' && EXPIRED_GRANT.has(bodyError)) {
          return new AuthError('session_expired', 'Your session has ended. Please sign in again.', { cause: error, details: { providerError: bodyError } });
        }
        return new AuthError('provider_error', `${providerLabel} refused the request (${providerText(bodyError)}) while ${doing}.`, { cause: error, details: { providerError: bodyError } });
      }
      // A forged signature or `alg: none` arrives wrapped as "invalid response encountered".
      const inner = innermostMessage(error);
      if (step === 'code-exchange' && /JWT|signature|ID Token|alg/i.test(inner)) {
        return new AuthError('id_token_invalid', `The ID token from ${providerLabel} failed validation (${providerText(inner)}).`, { cause: error });
      }
      break;
    }
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM': {
      const status = cause['status'] ?? (error as Error & { cause?: { status?: unknown } }).cause?.status;
      if (typeof status === 'number' && status >= 500) {
        return new AuthError('provider_unreachable', `${providerLabel} had a server error (${status}) while ${doing}.`, { cause: error, details: { status } });
      }
      break;
    }
    default:
      break;
  }
  if (error instanceof TypeError && /fetch/i.test(error.message)) {
    return new AuthError('provider_unreachable', `Could not reach ${providerLabel} while ${doing}.`, { cause: error });
  }
  if (error instanceof oidc.ClientError || (error instanceof Error && typeof code === 'string' && code.startsWith('OAUTH_'))) {
    return new AuthError('provider_invalid_response', `${providerLabel} sent an answer the app cannot use while ${doing} (${providerText(innermostMessage(error))}).`, {
      cause: error,
      details: { code },
    });
  }
  return new AuthError('internal', `Unexpected failure while ${doing}.`, { cause: error });
}
