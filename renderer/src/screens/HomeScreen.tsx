import { useEffect, useState } from 'react';
import type { ErrorValue, ProtectedData } from '../contract-types.js';
import { Avatar } from '../components/Avatar.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ScreenHeading } from '../components/ScreenHeading.js';
import { displayName } from '../format/user.js';
import { useSession } from '../session/session-context.js';

type Load = { state: 'loading' } | { state: 'done'; data: ProtectedData } | { state: 'failed'; error: ErrorValue };

/** `#/`: a greeting, and app data fetched through a protected channel (main checks the session). */
export function HomeScreen() {
  const { snapshot, appInfo } = useSession();
  const name = displayName(snapshot.user);
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  useEffect(() => {
    let current = true;
    void window.auth.protectedData().then((result) => {
      if (current) setLoad(result.ok ? { state: 'done', data: result.value } : { state: 'failed', error: result.error });
    });
    return () => {
      current = false;
    };
  }, []);

  return (
    <>
      <div className="greeting">
        <Avatar user={snapshot.user} size="large" />
        <ScreenHeading title="Home" appName={appInfo.name}>
          {name ? `Welcome, ${name}` : 'Welcome'}
        </ScreenHeading>
      </div>
      <section className="card" aria-labelledby="data-heading">
        <h2 id="data-heading">Your items</h2>
        <p className="hint">Fetched through a protected channel: the app answers only while you are signed in.</p>
        {load.state === 'loading' && <p role="status">Loading your items…</p>}
        {load.state === 'failed' && <ErrorNotice error={load.error} lead="Your items could not be loaded." />}
        {load.state === 'done' && (
          <>
            <p>{load.data.greeting}</p>
            {load.data.items.length === 0 ? (
              <p>You have no items yet.</p>
            ) : (
              <ul className="item-list">
                {load.data.items.map((item) => (
                  <li key={item.id}>{item.title}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>
    </>
  );
}
