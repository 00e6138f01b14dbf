/**
 * When to refresh and how long to wait after a failure. Pure functions so the timing rules can be
 * read and tested on their own.
 */
export interface RefreshPolicy {
  /** Refresh once this fraction of the token's lifetime has passed... */
  readonly lifetimeFraction: number;
  /** ...but never later than this before expiry. */
  readonly minMarginMs: number;
  /** A token this close to expiry is treated as expired (clock skew, request time). */
  readonly skewMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

export const DEFAULT_REFRESH_POLICY: RefreshPolicy = {
  lifetimeFraction: 0.8,
  minMarginMs: 60_000,
  skewMs: 30_000,
  retryBaseMs: 2_000,
  retryMaxMs: 5 * 60_000,
};

/** The shortest wait between two proactive refreshes, whatever the token's lifetime. */
export const MIN_REFRESH_INTERVAL_MS = 5_000;

/**
 * The moment a proactive refresh is due, or null when the token does not expire. Never before half
 * the lifetime: a token shorter than the margin would otherwise be due at once, every time.
 */
export function refreshDueAt(issuedAt: number, expiresAt: number | null, policy: RefreshPolicy): number | null {
  if (expiresAt === null) return null;
  const lifetime = Math.max(0, expiresAt - issuedAt);
  const due = Math.min(issuedAt + lifetime * policy.lifetimeFraction, expiresAt - policy.minMarginMs);
  return Math.max(due, issuedAt + lifetime / 2);
}

/** Fresh unless within the skew of expiry; the skew is at most a quarter of a short token's life. */
export function isAccessTokenFresh(expiresAt: number | null, now: number, policy: RefreshPolicy, issuedAt?: number): boolean {
  if (expiresAt === null) return true;
  const skew = issuedAt === undefined ? policy.skewMs : Math.min(policy.skewMs, Math.max(0, expiresAt - issuedAt) / 4);
  return expiresAt - skew > now;
}

/** Exponential backoff with full jitter in its upper half, so many clients don't retry in step. */
export function retryDelayMs(attempt: number, policy: RefreshPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
