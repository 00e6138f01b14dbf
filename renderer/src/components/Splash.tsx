import type { SplashProps } from '../session/SessionProvider.js';
import { errorDetail, errorText } from '../messages.js';

// Read once at start-up, before screens retitle the window.
const appTitle = document.title;

/** Neutral while the session is restored: says neither "signed in" nor "signed out". */
export function Splash({ error, retry }: SplashProps) {
  return (
    <main className="splash">
      <h1 className="splash-title">{appTitle}</h1>
      {error ? (
        <div role="alert" className="notice notice-error">
          <p>The app could not load your session. {errorText(error.code)}</p>
          {errorDetail(error) && <p className="detail">{errorDetail(error)}</p>}
          <button type="button" className="button" onClick={retry}>
            Try again
          </button>
        </div>
      ) : (
        <p role="status" className="splash-status">
          <span className="spinner" aria-hidden="true" />
          Loading…
        </p>
      )}
    </main>
  );
}
