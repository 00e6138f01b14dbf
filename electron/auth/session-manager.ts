/**
 * The session: restore at start, sign-in, proactive single-flight refresh, sign-out, and the one
 * place tokens live in memory. It publishes an immutable snapshot on every change.
 *
 * Ordering rules that keep a rotated refresh token from being lost:
 * - A refresh holds the vault's inter-process lock from re-reading the record to writing the new
 *   one; a process that waited adopts the other's newer record instead of refreshing again.
 * - The new tokens are persisted before the new snapshot is published.
 * - Only `invalid_grant` signs the user out; network errors and 5xx keep them signed in, offline.
 */
import type { SessionSnapshot, SignOutResult } from '../contract.js';
import type { AuthConfig } from './config.js';
import { AuthError, toErrorValue, type ErrorValue } from './errors.js';
import type { Logger } from './logger.js';
import type { Cipher, OpenExternal } from './ports.js';
import type { ProviderClient, SignInResult, TokenSet } from './provider-client.js';
import { vaultPendingStore } from './pending-attempt-store.js';
import { signOutAtProvider } from './provider-sign-out.js';
import { DEFAULT_REFRESH_POLICY, isAccessTokenFresh, refreshDueAt, type RefreshPolicy } from './refresh-policy.js';
import { RefreshTimers } from './refresh-timers.js';
import type { StoredSession } from './session-record.js';
import { initialState, toSnapshot, type SessionState } from './session-snapshot.js';
import { SignInCoordinator, type CompletedSignIn } from './sign-in.js';
import { assessStorage, notRememberedReasonFor } from './storage-protection.js';
import type { SessionVault } from './vault.js';

export interface SessionManagerOptions {
  readonly config: AuthConfig;
  readonly clients: ReadonlyMap<string, ProviderClient>;
  readonly vault: SessionVault;
  readonly cipher: Cipher;
  readonly openExternal: OpenExternal;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly refreshPolicy?: Partial<RefreshPolicy>;
}

export type SnapshotListener = (snapshot: SessionSnapshot) => void;

function tokensOf(s: StoredSession): TokenSet {
  return { ...s.tokens, expiresAt: s.accessTokenExpiresAt };
}

export class SessionManager {
  private readonly options: SessionManagerOptions;
  private readonly policy: RefreshPolicy;
  private readonly coordinator: SignInCoordinator;
  private readonly listeners = new Set<SnapshotListener>();
  private state: SessionState = initialState();
  private current: SessionSnapshot;
  private refreshFlight: Promise<StoredSession> | undefined;
  private readonly timers: RefreshTimers;
  private restored: Promise<void> | undefined;
  private stopped = false;
  private signingOut = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(options: SessionManagerOptions) {
    this.options = options;
    this.policy = { ...DEFAULT_REFRESH_POLICY, ...options.refreshPolicy };
    this.timers = new RefreshTimers({
      policy: this.policy,
      logger: options.logger,
      now: () => this.now(),
      ...(options.random ? { random: options.random } : {}),
      refresh: () => void this.refresh().catch(() => undefined),
    });
    this.current = this.buildSnapshot();
    this.coordinator = new SignInCoordinator({
      config: options.config,
      clients: options.clients,
      openExternal: options.openExternal,
      logger: options.logger,
      now: () => this.now(),
      pendingStore: vaultPendingStore(options.vault, () => this.state.storage.canRemember),
      onPendingChange: () => this.update({ pending: this.coordinator.pending }),
      onColdStart: (outcome) => {
        if (outcome.ok) void this.track(this.establish(outcome.value)).catch((error: unknown) => this.options.logger.error('cold-start sign-in failed', { error }));
        else this.update({ lastError: outcome.error.toValue() });
      },
    });
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  // ---- snapshot ---------------------------------------------------------------------------

  snapshot(): SessionSnapshot {
    return this.current;
  }

  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private buildSnapshot(): SessionSnapshot {
    return toSnapshot(this.state, (id) => this.options.clients.get(id)?.provider.label ?? null);
  }

  private update(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    this.current = this.buildSnapshot();
    for (const listener of this.listeners) {
      try {
        listener(this.current);
      } catch (error) {
        this.options.logger.error('snapshot listener failed', { error });
      }
    }
  }

  private signedOut(reason: SessionState['signedOutReason'], lastError: SessionState['lastError'] = null): void {
    this.timers.clear();
    // An attempt still pending keeps its waiting screen: it can still complete.
    const status = this.coordinator.pending ? 'signing-in' : 'signed-out';
    this.update({ status, session: null, remembered: false, offline: false, refreshing: false, signedOutReason: reason, lastError });
  }

  // ---- restore ------------------------------------------------------------------------------

  /** Restores the remembered session. A valid access token makes no network request at all. */
  restore(): Promise<void> {
    this.restored ??= this.doRestore();
    return this.restored;
  }

  private async doRestore(): Promise<void> {
    const storage = await assessStorage(this.options.cipher, this.options.config.app.allowWeakStorage);
    this.state = { ...this.state, storage };
    if (!storage.canRemember) return this.signedOut(null);

    let read: Awaited<ReturnType<SessionVault['read']>>;
    try {
      read = await this.options.vault.read();
    } catch (error) {
      this.options.logger.error('saved session could not be read', { error });
      return this.signedOut('storage_unavailable', toErrorValue(error));
    }
    if (read.kind === 'empty') return this.signedOut(null);
    if (read.kind === 'bad') {
      this.options.logger.warn('saved session was unusable and was moved aside', { problem: read.problem, movedTo: read.movedTo });
      return this.signedOut('storage_corrupt', {
        code: 'storage_corrupt',
        message: 'Your saved session could not be read, so you are signed out. It was set aside, not deleted.',
      });
    }
    const saved = read.session;
    if (!this.options.clients.has(saved.providerId)) {
      await this.options.vault.remove().catch((error: unknown) => this.options.logger.warn('saved session of an unknown provider not removed', { error }));
      return this.signedOut('unknown_provider', { code: 'unknown_provider', message: 'The provider of your saved session is no longer configured.' });
    }
    this.state = { ...this.state, session: saved, remembered: true, notRememberedReason: null };
    if (isAccessTokenFresh(saved.accessTokenExpiresAt, this.now(), this.policy, saved.issuedAt)) {
      this.update({ status: 'signed-in', signedOutReason: null });
      this.scheduleRefresh();
      return;
    }
    try {
      await this.refresh();
    } catch {
      // refresh() already moved the state: signed out on invalid_grant, offline otherwise.
    }
    if (this.state.status === 'restoring') this.update({ status: 'signed-in' });
  }

  // ---- sign-in ------------------------------------------------------------------------------

  get pendingSignIn(): SessionSnapshot['pending'] {
    return this.coordinator.pending;
  }

  /** Runs a sign-in to the end. Throws the attempt's typed error; the snapshot says it too. */
  async signIn(providerId: string, options: { remember: boolean }): Promise<SessionSnapshot> {
    await this.restore();
    if (!this.options.clients.has(providerId)) throw new AuthError('unknown_provider', `No provider is registered as "${providerId}".`);
    this.update({ status: 'signing-in', lastError: null, signedOutReason: null });
    let completed: CompletedSignIn;
    try {
      completed = await this.coordinator.start(providerId, options);
    } catch (error) {
      const typed = error instanceof AuthError ? error : new AuthError('internal', 'Sign-in failed unexpectedly.', { cause: error });
      // A superseded attempt hands the screen to the newer one; anything else returns to where we were.
      if (typed.code !== 'superseded') {
        this.update({
          // Back to where we were: signed in if a session was already there (signing in again), else out.
          status: this.coordinator.pending ? 'signing-in' : this.state.session ? 'signed-in' : 'signed-out',
          pending: this.coordinator.pending,
          lastError: typed.code === 'cancelled' ? null : typed.toValue(),
        });
      }
      throw typed;
    }
    await this.establish(completed);
    return this.current;
  }

  cancelSignIn(): SessionSnapshot {
    this.coordinator.cancel();
    return this.current;
  }

  reopenBrowser(): Promise<boolean> {
    return this.coordinator.reopenBrowser();
  }

  /** Any deep link or loopback URL: completes the pending sign-in only on an exact match. */
  handleIncomingUrl(url: unknown): void {
    this.coordinator.handleIncomingUrl(url);
  }

  private async establish({ result, remember }: CompletedSignIn): Promise<void> {
    const now = this.now();
    const storage = this.state.storage;
    const session: StoredSession = {
      providerId: result.providerId,
      profile: result.profile,
      tokens: {
        accessToken: result.tokens.accessToken,
        refreshToken: result.tokens.refreshToken,
        idToken: result.tokens.idToken,
        tokenType: result.tokens.tokenType,
        scope: result.tokens.scope,
      },
      accessTokenExpiresAt: result.tokens.expiresAt,
      issuedAt: now,
      signedInAt: now,
      lastRefreshAt: null,
      revision: 0,
    };
    const keep = remember && storage.canRemember;
    let stored = session;
    let remembered = false;
    let lastError: SessionState['lastError'] = null;
    try {
      if (keep) {
        stored = await this.options.vault.write(session);
        remembered = true;
      } else if (storage.canRemember) {
        // "Keep me signed in" off: nothing is written and any older record goes.
        await this.options.vault.remove();
      }
      // Storage that cannot remember (basic_text) is not touched at all: removing rewrites the
      // store file and takes the lock file, and this session must stay in memory only.
    } catch (error) {
      this.options.logger.error('session could not be saved; keeping it in memory only', { error });
      lastError = toErrorValue(error);
    }
    this.timers.resetBackoff();
    this.update({
      // A newer attempt may be pending (the person clicked again): its waiting screen stays.
      status: this.coordinator.pending ? 'signing-in' : 'signed-in',
      session: stored,
      remembered,
      notRememberedReason: remembered ? null : !remember ? 'not-requested' : storage.canRemember ? 'storage-unavailable' : notRememberedReasonFor(storage),
      offline: false,
      refreshing: false,
      pending: this.coordinator.pending,
      lastError,
      signedOutReason: null,
    });
    this.scheduleRefresh();
  }

  // ---- tokens and refresh -------------------------------------------------------------------

  private client(providerId: string): ProviderClient {
    const client = this.options.clients.get(providerId);
    if (!client) throw new AuthError('unknown_provider', `No provider is registered as "${providerId}".`);
    return client;
  }

  get provider(): ProviderClient | undefined {
    const s = this.state.session;
    return s && this.state.status === 'signed-in' ? this.options.clients.get(s.providerId) : undefined;
  }

  /** A valid access token for the main process's own API calls; refreshes when needed. */
  async getAccessToken(): Promise<string> {
    const s = this.state.session;
    if (!s || this.state.status !== 'signed-in') throw new AuthError('unauthenticated', 'You are not signed in.');
    if (isAccessTokenFresh(s.accessTokenExpiresAt, this.now(), this.policy, s.issuedAt)) return s.tokens.accessToken;
    return (await this.refresh()).tokens.accessToken;
  }

  /**
   * Single-flight: every caller during a refresh shares the one request. `force` refreshes even
   * when the token is fresh (after a 401, or `auth:check --refresh`).
   */
  refresh(options: { force?: boolean } = {}): Promise<StoredSession> {
    // A refresh started during sign-out would mint tokens that nobody revokes.
    if (this.signingOut) return Promise.reject(new AuthError('unauthenticated', 'You are signing out.'));
    this.refreshFlight ??= this.performRefresh(options.force === true).finally(() => {
      this.refreshFlight = undefined;
    });
    return this.refreshFlight;
  }

  private async performRefresh(force: boolean): Promise<StoredSession> {
    const start = this.state.session;
    if (!start) throw new AuthError('unauthenticated', 'You are not signed in.');
    this.timers.clear();
    this.update({ refreshing: true });
    // Decided once: a sign-in that completes meanwhile may change it, and must not make this
    // refresh write (without the lock) over the new session.
    const remembered = this.state.remembered;
    let outcome: { session: StoredSession; saveError: ErrorValue | null };
    try {
      outcome = await (remembered ? this.options.vault.withLock(() => this.refreshFrom(start, force, true)) : this.refreshFrom(start, force, false));
    } catch (error) {
      const typed = error instanceof AuthError ? error : new AuthError('internal', 'Refreshing the session failed.', { cause: error });
      if (this.state.session === start) await this.afterRefreshFailure(typed);
      else this.update({ refreshing: false });
      throw typed;
    }
    if (this.state.session !== start) {
      // Signed out, or signed in again, while this ran: its result belongs to no current session.
      this.options.logger.info('refresh result dropped: the session changed meanwhile');
      this.update({ refreshing: false });
      if (this.state.session) return this.state.session;
      throw new AuthError('unauthenticated', 'You signed out while the session was refreshing.');
    }
    {
      const { session: next, saveError } = outcome;
      this.timers.resetBackoff();
      this.update({
        status: this.signedInUnlessSigningIn(),
        session: next,
        offline: false,
        refreshing: false,
        lastError: saveError,
        // The rotated tokens live in memory only from now on; the snapshot says so.
        ...(saveError ? { remembered: false, notRememberedReason: 'storage-unavailable' as const } : {}),
      });
      this.scheduleRefresh();
      return next;
    }
  }

  private async refreshFrom(start: StoredSession, force: boolean, remembered: boolean): Promise<{ session: StoredSession; saveError: ErrorValue | null }> {
    let base = start;
    if (remembered) {
      // Another process of the app may have refreshed (and rotated the refresh token) meanwhile.
      const disk = await this.options.vault.read();
      if (disk.kind === 'ok' && disk.session.revision > base.revision && disk.session.providerId === base.providerId && disk.session.profile.sub === base.profile.sub) {
        this.options.logger.debug('adopting a session refreshed by another process', { revision: disk.session.revision });
        base = disk.session;
        if (!force && isAccessTokenFresh(base.accessTokenExpiresAt, this.now(), this.policy, base.issuedAt)) return { session: base, saveError: null };
      }
    }
    const refreshToken = base.tokens.refreshToken;
    if (!refreshToken) throw new AuthError('session_expired', 'Your session has ended. Please sign in again.');
    const tokens = await this.client(base.providerId).refresh(refreshToken, tokensOf(base));
    const now = this.now();
    const next: StoredSession = {
      ...base,
      tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, idToken: tokens.idToken, tokenType: tokens.tokenType, scope: tokens.scope },
      accessTokenExpiresAt: tokens.expiresAt,
      issuedAt: now,
      lastRefreshAt: now,
    };
    if (!remembered) return { session: next, saveError: null };
    // Persisted before anyone sees it: a crash now must not lose the rotated refresh token.
    try {
      return { session: await this.options.vault.write(next), saveError: null };
    } catch (error) {
      // The provider has already rotated the refresh token: dropping `next` would make the next
      // refresh send a spent token and end the session. Keep it in memory, and remove the record
      // holding the spent token so that no later start (or other copy of the app) sends it.
      this.options.logger.error('refreshed session could not be saved; keeping it in memory only', { error });
      await this.options.vault.remove().catch(() => undefined);
      return { session: next, saveError: toErrorValue(error) };
    }
  }

  private async afterRefreshFailure(error: AuthError): Promise<void> {
    if (error.code === 'session_expired') {
      this.options.logger.info('refresh token no longer valid; signing out', { provider: this.state.session?.providerId });
      if (this.state.remembered) await this.options.vault.remove().catch(() => undefined);
      this.signedOut('session_expired', error.toValue());
      return;
    }
    if (this.state.session === null) return;
    // Offline means the provider could not be reached; a provider answering nonsense is reported
    // (lastError) and retried, but is not "offline".
    const offline = error.code === 'provider_unreachable' || error.code === 'response_too_large';
    this.update({ status: this.signedInUnlessSigningIn(), refreshing: false, offline, lastError: error.toValue() });
    this.scheduleRetry();
  }

  /** A refresh ends a restore as signed in, but must not hide a sign-in attempt in progress. */
  private signedInUnlessSigningIn(): SessionState['status'] {
    return this.state.status === 'signing-in' ? 'signing-in' : 'signed-in';
  }

  private scheduleRefresh(): void {
    const s = this.state.session;
    if (!s || this.stopped || !s.tokens.refreshToken) return;
    const due = refreshDueAt(s.issuedAt, s.accessTokenExpiresAt, this.policy);
    if (due !== null) this.timers.scheduleAt(due);
  }

  private scheduleRetry(): void {
    if (!this.stopped) this.timers.scheduleRetry();
  }

  /** The machine woke up: timers may have slept through the refresh moment. */
  onResume(): void {
    const s = this.state.session;
    if (!s || this.state.status !== 'signed-in') return;
    const due = refreshDueAt(s.issuedAt, s.accessTokenExpiresAt, this.policy);
    if (this.state.offline || (due !== null && due <= this.now())) void this.refresh().catch(() => undefined);
    else this.scheduleRefresh();
  }

  // ---- sign-out -----------------------------------------------------------------------------

  /**
   * The local sign-out always completes first; then the refresh token is revoked (RFC 7009) and,
   * on request, the provider's end-session page opens in the system browser.
   */
  signOut(options: { atProvider: boolean }): Promise<SignOutResult> {
    return this.track(this.doSignOut(options));
  }

  private async doSignOut(options: { atProvider: boolean }): Promise<SignOutResult> {
    await this.restore();
    // Signing out also abandons a sign-in in progress.
    this.coordinator.cancel();
    this.signingOut = true;
    let session: StoredSession | null;
    try {
      this.timers.clear();
      // A refresh already under way finishes first: its rotated token is the one to revoke.
      if (this.refreshFlight) await this.refreshFlight.catch(() => undefined);
      session = this.state.session;
      // In memory first, so nothing (timer, resume, API call) can use the session from here on.
      this.signedOut(null);
      const removeError = await this.removeRecord();
      if (removeError) this.update({ lastError: removeError });
    } finally {
      this.signingOut = false;
    }
    if (!session) return { revoked: false, revocationError: null, endSessionOpened: false };

    const result = await signOutAtProvider({
      client: this.options.clients.get(session.providerId),
      session,
      openEndSession: options.atProvider,
      postLogoutRedirectUri: `${this.options.config.app.scheme}:/signed-out`,
      openExternal: this.options.openExternal,
      logger: this.options.logger,
    });
    if (result.revocationError) this.update({ lastError: result.revocationError });
    return result;
  }

  /** Removes the saved session, trying twice: a record left behind would restore a signed-out user. */
  private async removeRecord(): Promise<SessionState['lastError']> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.vault.remove();
        return null;
      } catch (error) {
        this.options.logger.error('saved session could not be removed', { error, attempt });
        if (attempt >= 2) return toErrorValue(error);
      }
    }
  }

  /**
   * Stops timers and the pending attempt, and waits for work still writing to the vault: a refresh
   * in flight (its rotated token must reach the disk) and the end of a sign-in.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clear();
    await this.refreshFlight?.catch(() => undefined);
    await this.coordinator.dispose();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Work that writes to the vault and must finish before the app exits (sign-out, cold-start sign-in). */
  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.catch(() => undefined).finally(() => this.inFlight.delete(work));
    return work;
  }

}

export type { SignInResult };
