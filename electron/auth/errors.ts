/**
 * Errors are values with a stable `code` and a human message. The renderer maps codes to words;
 * logs keep the (redacted) details. `AuthError` is the one throwable form inside the main process.
 */
export const ERROR_CODES = [
  'config_invalid',
  'unknown_provider',
  'access_denied',
  'login_required',
  'provider_error',
  'state_mismatch',
  'provider_unreachable',
  'provider_invalid_response',
  'response_too_large',
  'id_token_invalid',
  'subject_mismatch',
  'timeout',
  'cancelled',
  'superseded',
  'session_expired',
  'storage_unavailable',
  'storage_corrupt',
  'unauthenticated',
  'invalid_request',
  'forbidden_sender',
  'unknown_channel',
  'api_error',
  'protocol_registration_failed',
  'electron_unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What crosses IPC and what a snapshot keeps: never a stack, never a token. */
export interface ErrorValue {
  readonly code: ErrorCode;
  readonly message: string;
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: ErrorCode;
  /** Extra, already-redacted facts for the log (HTTP status, provider's error code, ...). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }

  toValue(): ErrorValue {
    return { code: this.code, message: this.message };
  }
}

export function isAuthError(error: unknown, code?: ErrorCode): error is AuthError {
  return error instanceof AuthError && (code === undefined || error.code === code);
}

/** Anything thrown becomes an ErrorValue; unknown failures become `internal` without leaking their text. */
export function toErrorValue(error: unknown): ErrorValue {
  if (error instanceof AuthError) return error.toValue();
  return { code: 'internal', message: 'Something went wrong inside the app. The details are in the log.' };
}
