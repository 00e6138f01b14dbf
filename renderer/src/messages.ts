/**
 * Error codes and session facts in plain words. The Record types make the compiler insist on a
 * sentence for every code in electron/auth/errors.ts.
 */
import type { ErrorCode, ErrorValue, NotRememberedReason, SessionStatus } from './contract-types.js';

const errorWords: Record<ErrorCode, string> = {
  config_invalid: 'The app’s sign-in settings are not valid, so nobody can sign in yet.',
  unknown_provider: 'That sign-in provider is not set up in this app.',
  access_denied: 'Sign-in was declined. You can try again and allow access.',
  login_required: 'The provider needs you to sign in again.',
  provider_error: 'The sign-in provider reported a problem.',
  state_mismatch: 'That sign-in response did not match the request this app sent, so it was ignored for your safety. Please start again.',
  provider_unreachable: 'The sign-in provider could not be reached. Check your connection and try again.',
  provider_invalid_response: 'The sign-in provider sent an answer the app could not accept.',
  response_too_large: 'The answer was too large for the app to accept.',
  id_token_invalid: 'The provider’s proof of who you are did not check out, so you were not signed in.',
  subject_mismatch: 'The provider answered for a different account than the one signed in.',
  timeout: 'Sign-in took too long and was stopped. Please try again.',
  cancelled: 'Sign-in was cancelled.',
  superseded: 'A newer sign-in took the place of this one.',
  session_expired: 'Your session ended; please sign in again.',
  storage_unavailable: 'This device’s secure storage is not available, so your session cannot be remembered.',
  storage_corrupt: 'Your saved session could not be read, so you need to sign in again.',
  unauthenticated: 'You need to be signed in to do that.',
  invalid_request: 'The app could not send that request. Please check what you entered.',
  forbidden_sender: 'That request came from somewhere the app does not trust, so it was refused.',
  unknown_channel: 'The app does not know that request.',
  api_error: 'The provider’s API answered with an error.',
  protocol_registration_failed: 'The app could not register itself to receive sign-in responses from your browser.',
  electron_unavailable: 'The desktop shell is not available.',
  internal: 'Something went wrong inside the app. The details are in the log.',
};

export function errorText(code: ErrorCode): string {
  return errorWords[code];
}

/** The provider's own message, when it adds something to our sentence. */
export function errorDetail(error: ErrorValue): string | null {
  const detail = error.message.trim();
  return detail && detail !== errorWords[error.code] ? detail : null;
}

/** Codes that end an attempt by the user's own doing: no alarm needed. */
export function isQuietEnding(code: ErrorCode): boolean {
  return code === 'cancelled' || code === 'superseded';
}

const signedOutWords: Partial<Record<ErrorCode, string>> = {
  session_expired: 'Your session ended; please sign in again.',
  login_required: 'The provider ended your session; please sign in again.',
  storage_corrupt: 'Your saved session could not be read; please sign in again.',
  storage_unavailable: 'Your saved session could not be opened because secure storage is unavailable; please sign in again.',
  unauthenticated: 'You were signed out; please sign in again.',
};

/** Why the app signed someone out who did not ask for it. */
export function signedOutText(code: ErrorCode): string {
  return signedOutWords[code] ?? `You were signed out. ${errorWords[code]}`;
}

const notRememberedWords: Record<NotRememberedReason, string> = {
  'not-requested': 'You chose not to stay signed in, so the session ends when the app closes.',
  'storage-unprotected': 'This device offers no protected storage, so the session is kept only while the app runs.',
  'storage-unavailable': 'Secure storage could not be used just now, so the session is kept only while the app runs.',
};

export function notRememberedText(reason: NotRememberedReason): string {
  return notRememberedWords[reason];
}

const statusWords: Record<SessionStatus, string> = {
  restoring: 'Restoring your session',
  'signed-out': 'Signed out',
  'signing-in': 'Signing in',
  'signed-in': 'Signed in',
};

export function statusText(status: SessionStatus): string {
  return statusWords[status];
}
