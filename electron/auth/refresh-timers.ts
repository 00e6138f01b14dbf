/**
 * The two timers behind proactive refresh: the next refresh when the token is due, and the retry
 * after a failure (backoff with jitter). They only decide *when*; the session manager refreshes.
 */
import type { Logger } from './logger.js';
import { MIN_REFRESH_INTERVAL_MS, retryDelayMs, type RefreshPolicy } from './refresh-policy.js';

// Node fires a timer longer than 2^31-1 ms (24.8 days) after 1 ms: a token issued for months would
// be refreshed at once, again and again. Such a wait is done in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class RefreshTimers {
  private refreshTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAttempt = 0;

  constructor(
    private readonly options: {
      readonly policy: RefreshPolicy;
      readonly logger: Logger;
      readonly now: () => number;
      readonly random?: () => number;
      /** Runs a refresh; its failures are the session manager's to handle. */
      readonly refresh: () => void;
    },
  ) {}

  /** Refresh at `due` (epoch ms), but never sooner than the minimum interval from now. */
  scheduleAt(due: number): void {
    clearTimeout(this.refreshTimer);
    const wait = Math.max(MIN_REFRESH_INTERVAL_MS, due - this.options.now());
    const step = Math.min(wait, MAX_TIMER_MS);
    this.refreshTimer = setTimeout(() => (step < wait ? this.scheduleAt(due) : this.options.refresh()), step);
    this.refreshTimer.unref?.();
  }

  scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    const delay = retryDelayMs(this.retryAttempt++, this.options.policy, this.options.random);
    this.options.logger.info('refresh will be retried', { inMs: delay, attempt: this.retryAttempt });
    this.retryTimer = setTimeout(() => this.options.refresh(), delay);
    this.retryTimer.unref?.();
  }

  /** A refresh succeeded: the next failure starts the backoff from the beginning. */
  resetBackoff(): void {
    this.retryAttempt = 0;
  }

  clear(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.retryTimer);
    this.refreshTimer = undefined;
    this.retryTimer = undefined;
  }
}
