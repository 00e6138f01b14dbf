import { useSession } from '../session/session-context.js';

/** Said while the provider cannot be reached and the saved profile stands in. */
export function OfflineBanner() {
  const { snapshot } = useSession();
  return (
    <div role="status" className="banner">
      {snapshot.offline && <p>You’re offline. Showing your saved profile.</p>}
    </div>
  );
}
