import { ScreenHeading } from '../components/ScreenHeading.js';
import { Link } from '../router/routing.js';
import { useSession } from '../session/session-context.js';

/** Any route we do not know. */
export function NotFoundScreen({ path }: { path: string }) {
  const { appInfo } = useSession();
  return (
    <main className="sign-in">
      <div className="card">
        <ScreenHeading title="Page not found" appName={appInfo.name} />
        <p>
          There is no page at <code>{path}</code>.
        </p>
        <p>
          <Link to="/">Go to the home screen</Link>
        </p>
      </div>
    </main>
  );
}
