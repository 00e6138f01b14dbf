import type { ReactNode } from 'react';
import { NavBar } from './NavBar.js';
import { OfflineBanner } from './OfflineBanner.js';

/** The frame around every signed-in screen: nav bar, offline banner, then the screen in <main>. */
export function ProtectedLayout({ children }: { children: ReactNode }) {
  return (
    <div className="app-frame">
      <NavBar />
      <main className="content">
        <OfflineBanner />
        {children}
      </main>
    </div>
  );
}
