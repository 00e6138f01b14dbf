/**
 * The timing rules of the session on their own: when a proactive refresh is due, when a token
 * counts as fresh (with clock skew), and how long to wait after a failed refresh.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REFRESH_POLICY, isAccessTokenFresh, refreshDueAt, retryDelayMs, type RefreshPolicy } from '../../electron/auth/refresh-policy.js';

const policy: RefreshPolicy = { lifetimeFraction: 0.8, minMarginMs: 60_000, skewMs: 30_000, retryBaseMs: 2_000, retryMaxMs: 300_000 };
const T0 = 1_700_000_000_000;

describe('refreshDueAt', () => {
  it('is at 80% of a long lifetime', () => {
    // One hour: 80% is 48 min, earlier than one minute before expiry.
    expect(refreshDueAt(T0, T0 + 3_600_000, policy)).toBe(T0 + 2_880_000);
  });

  it('is at least the minimum margin before expiry for a short lifetime', () => {
    // Four minutes: 80% is 3:12, but the margin wants 3:00.
    expect(refreshDueAt(T0, T0 + 240_000, policy)).toBe(T0 + 180_000);
  });

  it('is null for a token that does not expire, and never after expiry', () => {
    expect(refreshDueAt(T0, null, policy)).toBeNull();
    // Expiry before issue (a skewed record): due at once, not in the future.
    expect(refreshDueAt(T0, T0 - 1_000, policy)).toBe(T0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 10 ** 9 }), (issuedOffset, lifetime) => {
        const issuedAt = T0 + issuedOffset;
        const due = refreshDueAt(issuedAt, issuedAt + lifetime, DEFAULT_REFRESH_POLICY);
        expect(due).not.toBeNull();
        expect(due!).toBeLessThanOrEqual(issuedAt + lifetime * DEFAULT_REFRESH_POLICY.lifetimeFraction);
        // Never in the first half of the lifetime, so a short token is not refreshed in a loop...
        expect(due!).toBeGreaterThanOrEqual(issuedAt + lifetime / 2);
        // ...and at least the margin before expiry whenever the lifetime leaves room for it.
        if (lifetime >= 2 * DEFAULT_REFRESH_POLICY.minMarginMs) {
          expect(due!).toBeLessThanOrEqual(issuedAt + lifetime - DEFAULT_REFRESH_POLICY.minMarginMs);
        }
      }),
    );
  });

  it('gives a token shorter than the margin half its life instead of refreshing it at once', () => {
    expect(refreshDueAt(T0, T0 + 30_000, policy)).toBe(T0 + 15_000);
  });
});

describe('isAccessTokenFresh', () => {
  it('caps the skew at a quarter of a short token\'s life, so a 20 s token is usable when it arrives', () => {
    const expiresAt = T0 + 20_000;
    expect(isAccessTokenFresh(expiresAt, T0, policy)).toBe(false); // without the issue time: full 30 s skew
    expect(isAccessTokenFresh(expiresAt, T0, policy, T0)).toBe(true);
    expect(isAccessTokenFresh(expiresAt, T0 + 15_000, policy, T0)).toBe(false);
  });

  it('treats a token within the skew of expiry as expired', () => {
    const expiresAt = T0 + 60_000;
    expect(isAccessTokenFresh(expiresAt, T0, policy)).toBe(true);
    expect(isAccessTokenFresh(expiresAt, expiresAt - policy.skewMs - 1, policy)).toBe(true);
    expect(isAccessTokenFresh(expiresAt, expiresAt - policy.skewMs, policy)).toBe(false);
    expect(isAccessTokenFresh(expiresAt, expiresAt - 1, policy)).toBe(false);
    expect(isAccessTokenFresh(expiresAt, expiresAt + 1, policy)).toBe(false);
  });

  it('treats a token without an expiry as fresh', () => {
    expect(isAccessTokenFresh(null, T0, policy)).toBe(true);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base, jittered in the upper half of each ceiling', () => {
    expect(retryDelayMs(0, policy, () => 0)).toBe(1_000);
    expect(retryDelayMs(0, policy, () => 1)).toBe(2_000);
    expect(retryDelayMs(1, policy, () => 0)).toBe(2_000);
    expect(retryDelayMs(1, policy, () => 1)).toBe(4_000);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(12_000);
  });

  it('never exceeds the maximum, even after many failures', () => {
    expect(retryDelayMs(8, policy, () => 1)).toBe(300_000);
    expect(retryDelayMs(1_000, policy, () => 1)).toBe(300_000);
    expect(retryDelayMs(1_000, policy, () => 0)).toBe(150_000);
  });

  it('stays within [ceiling/2, ceiling] for any attempt and random value', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.min(attempt, 20));
        const delay = retryDelayMs(attempt, policy, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(Number.isInteger(delay)).toBe(true);
      }),
    );
  });

  it('spreads clients out: different random values give different delays', () => {
    const delays = new Set([0, 0.25, 0.5, 0.75, 1].map((r) => retryDelayMs(4, policy, () => r)));
    expect(delays.size).toBe(5);
  });
});
