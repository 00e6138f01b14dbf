/**
 * Owns the renderer's view of the session: subscribes to `window.auth.onChange` first, then loads the
 * snapshot, providers and app info. Until all three are in and the session is no longer `restoring`,
 * it renders the splash, so a remembered user never sees the sign-in screen flash by.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppInfo, ErrorValue, ProviderSummary, SessionSnapshot, SignOutResult } from '../contract-types.js';
import { SessionContext, type Session } from './session-context.js';

interface Loaded {
  readonly providers: readonly ProviderSummary[];
  readonly appInfo: AppInfo;
}

export interface SplashProps {
  readonly error: ErrorValue | null;
  readonly retry: () => void;
}

export function SessionProvider({ splash, children }: { splash: (props: SplashProps) => ReactNode; children: ReactNode }) {
  const [snapshot, setSnapshot] = useState<SessionSnapshot | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<ErrorValue | null>(null);
  const [lastSignOut, setLastSignOut] = useState<SignOutResult | null>(null);
  // Once an event has arrived, a slower getSnapshot() answer is older than what we show.
  const heardEvent = useRef(false);

  useEffect(
    () =>
      window.auth.onChange((next) => {
        heardEvent.current = true;
        setSnapshot(next);
      }),
    [],
  );

  const load = useCallback(async () => {
    setLoadError(null);
    const [snap, providers, appInfo] = await Promise.all([window.auth.getSnapshot(), window.auth.providers(), window.auth.appInfo()]);
    if (!snap.ok || !providers.ok || !appInfo.ok) {
      const failed = [snap, providers, appInfo].find((r) => !r.ok);
      setLoadError(failed && !failed.ok ? failed.error : { code: 'internal', message: '' });
      return;
    }
    if (!heardEvent.current) setSnapshot(snap.value);
    setLoaded({ providers: providers.value, appInfo: appInfo.value });
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const signIn = useCallback(async (providerId: string, remember: boolean) => {
    setLastSignOut(null);
    const result = await window.auth.signIn(providerId, { remember });
    // The final snapshot also comes by onChange; taking it here too keeps us right if events lag.
    if (result.ok) setSnapshot(result.value);
    return result;
  }, []);

  const signOut = useCallback(async (atProvider: boolean) => {
    const result = await window.auth.signOut({ atProvider });
    if (result.ok) setLastSignOut(result.value);
    return result;
  }, []);

  const session = useMemo<Session | null>(() => {
    if (!snapshot || !loaded) return null;
    const providerId = snapshot.providerId ?? snapshot.pending?.providerId ?? null;
    return {
      snapshot,
      ...loaded,
      provider: loaded.providers.find((p) => p.id === providerId) ?? null,
      lastSignOut,
      signIn,
      signOut,
      cancelSignIn: () => window.auth.cancelSignIn(),
      reopenBrowser: () => window.auth.reopenBrowser(),
    };
  }, [snapshot, loaded, lastSignOut, signIn, signOut]);

  if (!session || session.snapshot.status === 'restoring') return splash({ error: loadError, retry: () => void load() });
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
