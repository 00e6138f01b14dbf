/**
 * The session's internal state and the one function that turns it into the immutable
 * `SessionSnapshot` the renderer sees. Tokens are in `session` and never copied out.
 */
import type { NotRememberedReason, PendingSignIn, SessionSnapshot, SessionStatus, StorageProtection } from '../contract.js';
import type { ErrorCode, ErrorValue } from './errors.js';
import type { StoredSession } from './session-record.js';

/**
 * `status` is the state machine: restoring -> signed-out | signed-in; signed-out -> signing-in ->
 * signed-in | signed-out; signed-in -> signed-out. `offline` and `refreshing` are flags on
 * signed-in rather than states, because the user stays signed in through both.
 */
export interface SessionState {
  status: SessionStatus;
  session: StoredSession | null;
  remembered: boolean;
  notRememberedReason: NotRememberedReason | null;
  offline: boolean;
  refreshing: boolean;
  pending: PendingSignIn | null;
  storage: StorageProtection;
  lastError: ErrorValue | null;
  signedOutReason: ErrorCode | null;
}

export function initialState(): SessionState {
  return {
    status: 'restoring',
    session: null,
    remembered: false,
    notRememberedReason: null,
    offline: false,
    refreshing: false,
    pending: null,
    storage: { canRemember: false, backend: 'unknown', reason: 'Checking the system keychain.' },
    lastError: null,
    signedOutReason: null,
  };
}

export function toSnapshot(state: SessionState, providerLabel: (id: string) => string | null): SessionSnapshot {
  const s = state.session;
  const signedIn = state.status === 'signed-in' && s !== null;
  return Object.freeze({
    status: state.status,
    providerId: signedIn ? s.providerId : (state.pending?.providerId ?? null),
    providerLabel: signedIn ? providerLabel(s.providerId) : state.pending ? providerLabel(state.pending.providerId) : null,
    user: signedIn ? Object.freeze({ ...s.profile }) : null,
    signedInAt: signedIn ? s.signedInAt : null,
    accessTokenExpiresAt: signedIn ? s.accessTokenExpiresAt : null,
    lastRefreshAt: signedIn ? s.lastRefreshAt : null,
    remembered: signedIn && state.remembered,
    notRememberedReason: signedIn && !state.remembered ? state.notRememberedReason : null,
    offline: signedIn && state.offline,
    refreshing: signedIn && state.refreshing,
    pending: state.pending ? Object.freeze({ ...state.pending }) : null,
    storage: Object.freeze({ ...state.storage }),
    lastError: state.lastError ? Object.freeze({ ...state.lastError }) : null,
    signedOutReason: state.status === 'signed-out' ? state.signedOutReason : null,
  });
}
