import { useState } from 'react';
import type { ErrorValue, SessionSnapshot } from '../contract-types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { FactList } from '../components/FactList.js';
import { ScreenHeading } from '../components/ScreenHeading.js';
import { TimeText } from '../components/TimeText.js';
import { useNow } from '../format/use-now.js';
import { navigate } from '../router/hash-location.js';
import { notRememberedText, statusText } from '../messages.js';
import { useSession } from '../session/session-context.js';

function Remembered({ snapshot }: { snapshot: SessionSnapshot }) {
  if (snapshot.remembered) return <>Yes, kept encrypted on this device ({snapshot.storage.backend}).</>;
  const why = snapshot.notRememberedReason ? notRememberedText(snapshot.notRememberedReason) : 'The session ends when the app closes.';
  // The storage's own reason adds the specifics (which keyring is missing), unless the person chose this.
  const detail = snapshot.notRememberedReason !== 'not-requested' ? snapshot.storage.reason : null;
  return (
    <>
      No. {why}
      {detail && <span className="detail block">{detail}</span>}
    </>
  );
}

/** `#/session`: the facts of the current session, and the ways to end it. */
export function SessionScreen() {
  const { snapshot, appInfo, provider, signOut } = useSession();
  const now = useNow();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorValue | null>(null);

  const end = async (atProvider: boolean) => {
    setBusy(true);
    setError(null);
    const result = await signOut(atProvider);
    // A chosen sign-out starts afresh: no `next` back to this screen.
    if (result.ok) {
      navigate('/sign-in', { replace: true });
    } else {
      setError(result.error);
      setBusy(false);
    }
  };

  const never = <span className="muted">Not yet</span>;
  return (
    <>
      <ScreenHeading title="Session" appName={appInfo.name} />
      <section className="card">
        <FactList
          label="Session details"
          facts={[
            ['Status', `${statusText(snapshot.status)}${snapshot.refreshing ? ', refreshing now' : ''}`],
            ['Provider', snapshot.providerLabel ?? '—'],
            ['Signed in since', snapshot.signedInAt ? <TimeText at={snapshot.signedInAt} now={now} /> : never],
            ['Access token valid until', snapshot.accessTokenExpiresAt ? <TimeText at={snapshot.accessTokenExpiresAt} now={now} /> : <span className="muted">Unknown</span>],
            ['Last refresh', snapshot.lastRefreshAt ? <TimeText at={snapshot.lastRefreshAt} now={now} /> : never],
            ['Remembered on this device', <Remembered snapshot={snapshot} />],
            ['Connection', snapshot.offline ? 'Offline: showing your saved profile' : 'Online'],
          ]}
        />
      </section>
      <section className="card" aria-labelledby="sign-out-heading">
        <h2 id="sign-out-heading">Sign out</h2>
        <p className="hint">
          Signing out forgets the session on this device and asks the provider to revoke it.
          {provider?.canEndSession && ' Signing out of the provider too also ends your session in the browser.'}
        </p>
        <div className="actions">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void end(false)}>
            Sign out
          </button>
          {provider?.canEndSession && (
            <button type="button" className="button" disabled={busy} onClick={() => void end(true)}>
              Sign out of the provider too
            </button>
          )}
        </div>
        {busy && <p role="status">Signing out…</p>}
        {error && <ErrorNotice error={error} lead="Sign-out did not finish." />}
      </section>
    </>
  );
}
