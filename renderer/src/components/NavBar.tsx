import { useState } from 'react';
import { displayName } from '../format/user.js';
import { navigate } from '../router/hash-location.js';
import { Link } from '../router/routing.js';
import { useSession } from '../session/session-context.js';
import { Avatar } from './Avatar.js';

const links = [
  { to: '/', label: 'Home' },
  { to: '/profile', label: 'Profile' },
  { to: '/session', label: 'Session' },
  { to: '/api', label: 'API' },
] as const;

export function NavBar() {
  const { snapshot, appInfo, signOut } = useSession();
  const [busy, setBusy] = useState(false);
  const name = displayName(snapshot.user) ?? 'Signed in';
  const onSignOut = async () => {
    setBusy(true);
    const result = await signOut(false);
    // A chosen sign-out starts afresh: no `next` back to this screen.
    if (result.ok) navigate('/sign-in', { replace: true });
    else setBusy(false);
  };
  return (
    <header className="topbar">
      <span className="brand">{appInfo.name}</span>
      <nav aria-label="Main">
        <ul className="nav-links">
          {links.map((link) => (
            <li key={link.to}>
              <Link to={link.to} className="nav-link">
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="account">
        <Avatar user={snapshot.user} size="small" />
        <span className="account-name" data-testid="nav-user">
          {name}
        </span>
        <button type="button" className="button button-quiet" onClick={() => void onSignOut()} disabled={busy}>
          Sign out
        </button>
      </div>
    </header>
  );
}
