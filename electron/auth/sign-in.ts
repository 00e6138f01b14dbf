/**
 * The sign-in attempt: PKCE (S256), state and nonce from a CSPRNG, the provider's page in the
 * system browser, and completion only by the one callback URL that matches the pending attempt.
 * One attempt at a time: a new one supersedes the old; each ends by callback, cancel or timeout.
 */
import * as oidc from 'openid-client';
import type { PendingSignIn } from '../contract.js';
import { schemeRedirectUri, type AuthConfig, type ProviderConfig } from './config.js';
import { parseCallback } from './callback-url.js';
import { AuthError, type ErrorCode } from './errors.js';
import type { Logger } from './logger.js';
import { startLoopbackListener, type LoopbackListener, type LoopbackOutcome } from './loopback-server.js';
import type { OpenExternal } from './ports.js';
import { authorizationErrorCode, providerText } from './protocol-errors.js';
import type { AuthorizationChecks, ProviderClient, SignInResult } from './provider-client.js';

/** What survives a restart so a callback that launches the app can still complete (cold start). */
export interface PendingAttemptData extends AuthorizationChecks {
  readonly providerId: string;
  readonly remember: boolean;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface PendingAttemptStore {
  save(attempt: PendingAttemptData): Promise<void>;
  /** Removes and returns it only if it is current and `matches` it; otherwise it stays where it is. */
  take(now: number, matches: (attempt: PendingAttemptData) => boolean): Promise<PendingAttemptData | undefined>;
  /** Removes the stored attempt if it is the one with this state (a newer one stays). */
  clear(state: string): Promise<void>;
}

export interface CompletedSignIn {
  readonly result: SignInResult;
  readonly remember: boolean;
}

export interface SignInCoordinatorOptions {
  readonly config: AuthConfig;
  readonly clients: ReadonlyMap<string, ProviderClient>;
  readonly openExternal: OpenExternal;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Keeps the attempt (encrypted) for a cold-start callback; absent where storage can't protect it. */
  readonly pendingStore?: PendingAttemptStore;
  /** The pending attempt appeared, changed or ended. */
  readonly onPendingChange?: () => void;
  /** A cold-start callback completed (or failed) an attempt of a previous run. */
  readonly onColdStart?: (outcome: { ok: true; value: CompletedSignIn } | { ok: false; error: AuthError }) => void;
}

interface Attempt {
  readonly data: PendingAttemptData;
  readonly authUrl: URL;
  readonly resolve: (value: CompletedSignIn) => void;
  readonly reject: (error: AuthError) => void;
  readonly timer: NodeJS.Timeout;
  readonly loopback: LoopbackListener | undefined;
  completing: boolean;
}


/** The `error=` callback of RFC 6749 section 4.1.2.1, as a typed error with the provider's words. */
export function callbackError(url: URL, providerLabel: string): AuthError {
  const error = providerText(url.searchParams.get('error')).slice(0, 100);
  const description = providerText(url.searchParams.get('error_description'));
  const code = authorizationErrorCode(error);
  const fallback = code === 'access_denied' ? `Access was denied at ${providerLabel}.` : `${providerLabel} could not sign you in (${error}).`;
  return new AuthError(code, description || fallback, { details: { providerError: error } });
}

/** The `state` of a would-be callback, or '' (never a real state) when there is none. */
function stateOf(raw: unknown): string {
  try {
    return typeof raw === 'string' ? (new URL(raw).searchParams.get('state') ?? '') : '';
  } catch {
    return '';
  }
}

export class SignInCoordinator {
  private readonly options: SignInCoordinatorOptions;
  private attempt: Attempt | undefined;
  private coldStarts: Promise<void> = Promise.resolve();
  private readonly usedStates = new Set<string>();
  private readonly completions = new Set<Promise<void>>();
  private generation = 0;
  private setupAbort: 'cancelled' | 'superseded' = 'superseded';

  constructor(options: SignInCoordinatorOptions) {
    this.options = options;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  get pending(): PendingSignIn | null {
    const a = this.attempt;
    return a ? { providerId: a.data.providerId, startedAt: a.data.createdAt, expiresAt: a.data.expiresAt } : null;
  }

  private client(providerId: string): ProviderClient {
    const client = this.options.clients.get(providerId);
    if (!client) throw new AuthError('unknown_provider', `No provider is registered as "${providerId}".`);
    return client;
  }

  /** Opens the provider in the system browser; settles when the attempt ends. */
  async start(providerId: string, options: { remember: boolean }): Promise<CompletedSignIn> {
    const client = this.client(providerId);
    const provider = client.provider;
    this.end('superseded', 'A newer sign-in replaced this one.');
    // A cancel or a newer start while this one is still setting up (discovery, loopback) wins.
    const generation = ++this.generation;
    this.setupAbort = 'superseded';
    const stillWanted = async (loopback: LoopbackListener | undefined): Promise<void> => {
      if (generation === this.generation) return;
      await loopback?.close();
      throw new AuthError(this.setupAbort, this.setupAbort === 'cancelled' ? 'Sign-in was cancelled.' : 'A newer sign-in replaced this one.');
    };

    const loopback = provider.redirect.kind === 'loopback' ? await this.listenLoopback(provider) : undefined;
    await stillWanted(loopback);
    const createdAt = this.now();
    const data: PendingAttemptData = {
      providerId,
      remember: options.remember,
      state: oidc.randomState(),
      // nonce binds the ID token to this attempt; plain OAuth 2.0 has no ID token to bind.
      nonce: provider.kind === 'oidc' ? oidc.randomNonce() : null,
      codeVerifier: oidc.randomPKCECodeVerifier(),
      redirectUri: loopback?.redirectUri ?? schemeRedirectUri(this.options.config.app.scheme),
      createdAt,
      expiresAt: createdAt + this.options.config.app.signInTimeoutSeconds * 1000,
    };

    let authUrl: URL;
    try {
      authUrl = await client.authorizationUrl(data);
    } catch (error) {
      await loopback?.close();
      await stillWanted(undefined); // a cancelled start reports the cancel, not what failed after it
      throw error;
    }
    await stillWanted(loopback);

    const settled = new Promise<CompletedSignIn>((resolve, reject) => {
      const timer = setTimeout(() => this.end('timeout', 'The sign-in was not finished in time. Please try again.'), data.expiresAt - createdAt);
      timer.unref?.();
      this.attempt = { data, authUrl, resolve, reject, timer, loopback, completing: false };
    });
    // It may settle (superseded, cancelled) before the caller awaits it below: not unhandled.
    settled.catch(() => undefined);
    this.options.logger.info('sign-in started', { provider: providerId, redirect: provider.redirect.kind });
    if (loopback === undefined) await this.options.pendingStore?.save(data).catch((error: unknown) => {
      this.options.logger.warn('pending sign-in not kept for a cold start', { error });
    });
    // Cancelled or superseded while the attempt was being saved: no browser for it.
    if (this.attempt?.data !== data) return settled;
    this.options.onPendingChange?.();
    try {
      await this.options.openExternal(authUrl.href);
    } catch (error) {
      this.options.logger.error('opening the system browser failed', { error });
      if (this.attempt?.data === data) this.end('internal', 'Could not open the system browser.');
    }
    return settled;
  }

  private listenLoopback(provider: ProviderConfig): Promise<LoopbackListener> {
    const port = provider.redirect.kind === 'loopback' ? provider.redirect.port : 0;
    return startLoopbackListener({ port, logger: this.options.logger, onCallback: (url) => this.handleIncomingUrl(url) });
  }

  /** "Open the browser again" while an attempt is pending. */
  async reopenBrowser(): Promise<boolean> {
    const a = this.attempt;
    if (!a || a.completing) return false;
    await this.options.openExternal(a.authUrl.href);
    return true;
  }

  cancel(): boolean {
    // Also stops a start() that has not opened the browser yet.
    this.generation++;
    this.setupAbort = 'cancelled';
    return this.end('cancelled', 'Sign-in was cancelled.');
  }

  /** Ends the pending attempt (if any) with a typed error. */
  private end(code: ErrorCode, message: string, options: { keepPersisted?: boolean } = {}): boolean {
    const a = this.attempt;
    if (!a || a.completing) return false;
    this.attempt = undefined;
    clearTimeout(a.timer);
    // Its callback may still come (the page is open in the browser): it must not complete anything.
    this.rememberUsed(a.data.state);
    void a.loopback?.close();
    if (!options.keepPersisted) void this.options.pendingStore?.clear(a.data.state).catch(() => undefined);
    this.options.logger.info('sign-in ended', { provider: a.data.providerId, code });
    a.reject(new AuthError(code, message));
    this.options.onPendingChange?.();
    return true;
  }

  /**
   * Any incoming URL: argv, `second-instance`, macOS `open-url`, or the loopback listener. Completes
   * the pending attempt only on an exact match; anything else is logged at debug and ignored.
   * Never throws, never touches the session directly.
   */
  handleIncomingUrl(raw: unknown): LoopbackOutcome {
    try {
      const a = this.attempt;
      if (!a) {
        // One at a time: a forged link holding the stored attempt must not make the real one miss it.
        if (this.options.pendingStore) this.coldStarts = this.coldStarts.then(() => this.completeColdStart(raw)).catch(() => undefined);
        else this.options.logger.debug('callback ignored', { reason: 'no attempt pending' });
        return 'ignored';
      }
      const parsed = parseCallback(raw, a.data.redirectUri);
      if (!parsed.ok) {
        this.options.logger.debug('callback ignored', { reason: parsed.reason });
        return 'ignored';
      }
      if (parsed.state !== a.data.state || a.completing) {
        this.options.logger.debug('callback ignored', { reason: a.completing ? 'attempt already completing' : 'state does not match' });
        return 'ignored';
      }
      a.completing = true;
      this.rememberUsed(a.data.state);
      clearTimeout(a.timer);
      const completion = this.complete(a, parsed.url);
      this.completions.add(completion);
      void completion.finally(() => this.completions.delete(completion));
      return 'accepted';
    } catch (error) {
      this.options.logger.debug('callback ignored', { reason: 'unexpected', error });
      return 'ignored';
    }
  }

  private async complete(a: Attempt, url: URL): Promise<void> {
    let outcome: { ok: true; value: CompletedSignIn } | { ok: false; error: AuthError };
    try {
      outcome = { ok: true, value: await this.finish(a.data, url) };
    } catch (error) {
      outcome = { ok: false, error: error instanceof AuthError ? error : new AuthError('internal', 'Sign-in failed unexpectedly.', { cause: error }) };
    }
    if (this.attempt === a) this.attempt = undefined;
    // Settled only now, so whoever awaits the attempt sees it gone from `pending`.
    if (outcome.ok) a.resolve(outcome.value);
    else a.reject(outcome.error);
    this.options.onPendingChange?.();
    // The stored copy goes after the result is out and the session has had its turn at the vault
    // (a disk write the person need not wait for); a replayed callback meanwhile is stopped by
    // `usedStates`, not by the missing record.
    await new Promise((resolve) => setImmediate(resolve));
    await this.options.pendingStore?.clear(a.data.state).catch(() => undefined);
    await a.loopback?.close();
  }

  /** States of attempts this process completed: their callbacks are never exchanged again. */
  private rememberUsed(state: string): void {
    this.usedStates.add(state);
    if (this.usedStates.size > 32) this.usedStates.delete(this.usedStates.values().next().value ?? '');
  }

  private async finish(data: PendingAttemptData, url: URL): Promise<CompletedSignIn> {
    const client = this.client(data.providerId);
    if (url.searchParams.has('error')) throw callbackError(url, client.provider.label);
    const result = await client.signInResult(url, data);
    this.options.logger.info('sign-in completed', { provider: data.providerId });
    return { result, remember: data.remember };
  }

  /** A callback for an attempt started by a previous run of the app (the link launched it). */
  private async completeColdStart(raw: unknown): Promise<void> {
    const store = this.options.pendingStore;
    if (!store) return;
    if (this.usedStates.has(stateOf(raw))) {
      this.options.logger.debug('callback ignored', { reason: 'attempt already completed' });
      return;
    }
    let reason = 'no attempt pending';
    let data: PendingAttemptData | undefined;
    try {
      // Compared and removed in one step: a forged or stray link leaves the real attempt in place.
      data = await store.take(this.now(), (stored) => {
        const parsed = parseCallback(raw, stored.redirectUri);
        reason = parsed.ok ? 'state does not match' : parsed.reason;
        return parsed.ok && parsed.state === stored.state;
      });
    } catch (error) {
      this.options.logger.debug('callback ignored', { reason: 'pending attempt unreadable', error });
      return;
    }
    const parsed = data ? parseCallback(raw, data.redirectUri) : undefined;
    if (!data || !parsed?.ok) {
      this.options.logger.debug('callback ignored', { reason });
      return;
    }
    try {
      this.options.onColdStart?.({ ok: true, value: await this.finish(data, parsed.url) });
    } catch (error) {
      const typed = error instanceof AuthError ? error : new AuthError('internal', 'Sign-in failed unexpectedly.', { cause: error });
      this.options.onColdStart?.({ ok: false, error: typed });
    }
  }

  /**
   * The app is closing: the persisted attempt stays, so the callback can still launch the app and
   * complete it. Resolves when completion work still touching the vault has finished.
   */
  async dispose(): Promise<void> {
    // A start still in setup must not open a browser or a loopback port after this.
    this.generation++;
    this.setupAbort = 'cancelled';
    this.end('cancelled', 'The app is closing.', { keepPersisted: true });
    await Promise.allSettled([...this.completions]);
  }
}
