import type { ReactNode } from 'react';
import { signInPath, useHashLocation } from '../router/hash-location.js';
import { Redirect } from '../router/routing.js';
import { useSession } from './session-context.js';

/** Lets the signed-in through; sends anyone else to sign-in, remembering where they were going. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { snapshot } = useSession();
  const { pathWithQuery } = useHashLocation();
  if (snapshot.status !== 'signed-in') return <Redirect to={signInPath(pathWithQuery)} />;
  return children;
}
