/** The route table and the frame each kind of route gets: public, protected (guard + nav), not found. */
import type { ReactNode } from 'react';
import { ProtectedLayout } from './components/ProtectedLayout.js';
import { Splash } from './components/Splash.js';
import { useHashLocation } from './router/hash-location.js';
import { matchRoute, type RouteEntry } from './router/routing.js';
import { ApiScreen } from './screens/ApiScreen.js';
import { HomeScreen } from './screens/HomeScreen.js';
import { NotFoundScreen } from './screens/NotFoundScreen.js';
import { ProfileScreen } from './screens/ProfileScreen.js';
import { SessionScreen } from './screens/SessionScreen.js';
import { SignInScreen } from './screens/sign-in/SignInScreen.js';
import { RequireAuth } from './session/RequireAuth.js';
import { SessionProvider } from './session/SessionProvider.js';

type RouteKey = 'sign-in' | 'home' | 'profile' | 'session' | 'api';

const routes: readonly RouteEntry<RouteKey>[] = [
  { path: '/sign-in', key: 'sign-in' },
  { path: '/', key: 'home' },
  { path: '/profile', key: 'profile' },
  { path: '/session', key: 'session' },
  { path: '/api', key: 'api' },
];

const protectedScreens: Record<Exclude<RouteKey, 'sign-in'>, () => ReactNode> = {
  home: () => <HomeScreen />,
  profile: () => <ProfileScreen />,
  session: () => <SessionScreen />,
  api: () => <ApiScreen />,
};

function Screens() {
  const { path } = useHashLocation();
  const key = matchRoute(routes, path);
  if (key === null) return <NotFoundScreen path={path} />;
  if (key === 'sign-in') return <SignInScreen />;
  // The layout stays mounted across protected routes; only the screen inside it changes.
  return (
    <RequireAuth>
      <ProtectedLayout>{protectedScreens[key]()}</ProtectedLayout>
    </RequireAuth>
  );
}

export function App() {
  return (
    <SessionProvider splash={(props) => <Splash {...props} />}>
      <Screens />
    </SessionProvider>
  );
}
