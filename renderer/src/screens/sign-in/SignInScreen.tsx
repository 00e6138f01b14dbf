/**
 * `#/sign-in`: choose a provider, wait for the browser, or read why the last attempt failed.
 * Once the snapshot says signed-in, it sends the person on to `next` (where the guard stopped them).
 */
import { useState } from 'react';
import type { ErrorValue } from '../../contract-types.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { ScreenHeading } from '../../components/ScreenHeading.js';
import { isQuietEnding } from '../../messages.js';
import { safeNext, useHashLocation } from '../../router/hash-location.js';
import { Redirect } from '../../router/routing.js';
import { useSession } from '../../session/session-context.js';
import { PendingSignIn } from './PendingSignIn.js';
import { ProviderChoice } from './ProviderChoice.js';
import { SignInNotices } from './SignInNotices.js';

export function SignInScreen() {
  const { snapshot, providers, appInfo, signIn } = useSession();
  const { query } = useHashLocation();
  const [remember, setRemember] = useState(true);
  const [lastProviderId, setLastProviderId] = useState<string | null>(null);
  const [attemptError, setAttemptError] = useState<ErrorValue | null>(null);
  const pending = snapshot.status === 'signing-in' ? snapshot.pending : null;

  // Coming back from the browser wait swaps the whole card: count it so the heading takes focus again.
  const [wasPending, setWasPending] = useState(pending !== null);
  const [returnsFromPending, setReturnsFromPending] = useState(0);
  if (wasPending !== (pending !== null)) {
    setWasPending(pending !== null);
    if (!pending) setReturnsFromPending((n) => n + 1);
  }

  if (snapshot.status === 'signed-in') return <Redirect to={safeNext(query.get('next'))} />;

  const start = async (providerId: string) => {
    setLastProviderId(providerId);
    setAttemptError(null);
    const result = await signIn(providerId, remember && snapshot.storage.canRemember);
    if (!result.ok) setAttemptError(result.error);
  };

  // The attempt's own answer first; else what the snapshot recorded, unless the signed-out notice says it.
  const recorded = snapshot.status === 'signed-out' && snapshot.lastError?.code !== snapshot.signedOutReason ? snapshot.lastError : null;
  const ending = pending ? null : (attemptError ?? recorded);
  const retryId = lastProviderId ?? snapshot.providerId ?? (providers.length === 1 ? (providers[0]?.id ?? null) : null);
  const noProvider = appInfo.configProblem !== null || providers.length === 0;

  return (
    <main className="sign-in">
      <div className="card">
        <ScreenHeading title="Sign in" appName={appInfo.name} focusKey={returnsFromPending}>
          {appInfo.name}
        </ScreenHeading>
        <SignInNotices />
        {noProvider ? (
          <div className="notice notice-warning" data-testid="no-provider">
            <p>
              <strong>No sign-in provider is set up, so nobody can sign in yet.</strong>
            </p>
            {appInfo.configProblem && <p className="detail">{appInfo.configProblem}</p>}
          </div>
        ) : pending ? (
          <PendingSignIn expiresAt={pending.expiresAt} />
        ) : (
          <>
            <p className="lead">Sign in to continue. Your browser opens so you can sign in there.</p>
            {ending && ending.code === 'cancelled' && (
              <p role="status" className="notice notice-info">
                Sign-in was cancelled.
              </p>
            )}
            {ending && !isQuietEnding(ending.code) && (
              <ErrorNotice
                error={ending}
                lead="You are not signed in."
                {...(retryId ? { onRetry: () => void start(retryId) } : {})}
              />
            )}
            <ProviderChoice
              providers={providers}
              storage={snapshot.storage}
              remember={remember}
              onRememberChange={setRemember}
              onChoose={(id) => void start(id)}
            />
          </>
        )}
      </div>
    </main>
  );
}
