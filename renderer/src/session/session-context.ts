import { createContext, useContext } from 'react';
import type { AppInfo, ProviderSummary, Result, SessionSnapshot, SignOutResult } from '../contract-types.js';

/** What every screen reads: the latest snapshot and what the app knows about its providers. */
export interface Session {
  readonly snapshot: SessionSnapshot;
  readonly providers: readonly ProviderSummary[];
  readonly appInfo: AppInfo;
  /** The provider of the current (or pending) session, when it is one we know. */
  readonly provider: ProviderSummary | null;
  /** How the last sign-out went, for the sign-in screen to mention; cleared by the next sign-in. */
  readonly lastSignOut: SignOutResult | null;
  signIn(providerId: string, remember: boolean): Promise<Result<SessionSnapshot>>;
  cancelSignIn(): Promise<Result<SessionSnapshot>>;
  reopenBrowser(): Promise<Result<boolean>>;
  signOut(atProvider: boolean): Promise<Result<SignOutResult>>;
}

export const SessionContext = createContext<Session | null>(null);

/** The session, for any component under SessionProvider (which renders nothing else until it has one). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() needs a <SessionProvider> above it');
  return session;
}
