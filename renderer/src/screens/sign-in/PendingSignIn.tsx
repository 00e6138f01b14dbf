import { useEffect, useRef, useState } from 'react';
import type { ErrorValue } from '../../contract-types.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { formatRelative } from '../../format/time.js';
import { useNow } from '../../format/use-now.js';
import { useSession } from '../../session/session-context.js';

/** While the system browser has the login page: what to do, and a way out. */
export function PendingSignIn({ expiresAt }: { expiresAt: number }) {
  const { provider, cancelSignIn, reopenBrowser } = useSession();
  const now = useNow(5_000);
  const heading = useRef<HTMLHeadingElement>(null);
  const [reopenState, setReopenState] = useState<'idle' | 'opened' | 'failed'>('idle');
  const [error, setError] = useState<ErrorValue | null>(null);

  // The button that started this is gone; put focus where the next step is.
  useEffect(() => heading.current?.focus(), []);

  const reopen = async () => {
    setError(null);
    const result = await reopenBrowser();
    if (!result.ok) setError(result.error);
    else setReopenState(result.value ? 'opened' : 'failed');
  };
  const cancel = async () => {
    setError(null);
    const result = await cancelSignIn();
    if (!result.ok) setError(result.error);
  };

  return (
    <section className="pending" aria-labelledby="pending-heading">
      <h2 id="pending-heading" ref={heading} tabIndex={-1}>
        Finish signing in in your browser
      </h2>
      <div role="status">
        <p>
          {provider ? `${provider.label}’s sign-in page is open in your browser.` : 'The sign-in page is open in your browser.'} When you are done
          there, this window continues by itself.
        </p>
        {reopenState === 'opened' && <p>We opened the page again.</p>}
        {reopenState === 'failed' && <p>The browser could not be opened. Please open it yourself and try again.</p>}
      </div>
      <p className="hint">This request expires {formatRelative(expiresAt, now)}.</p>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={() => void reopen()}>
          Open the browser again
        </button>
        <button type="button" className="button" onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
