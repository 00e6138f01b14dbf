import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The screen's one <h1>. It takes focus when the screen appears, so keyboard and screen-reader users
 * land on the new screen rather than on a link that no longer exists, and it names the window.
 */
export function ScreenHeading(props: { title: string; appName: string; focusKey?: unknown; children?: ReactNode }) {
  const { title, appName, focusKey, children } = props;
  const ref = useRef<HTMLHeadingElement>(null);
  // On mount, and again when a screen changes its content wholesale (focusKey).
  useEffect(() => {
    ref.current?.focus();
  }, [focusKey]);
  useEffect(() => {
    document.title = title === appName ? appName : `${title} · ${appName}`;
  }, [title, appName]);
  return (
    <h1 ref={ref} tabIndex={-1} className="screen-title">
      {children ?? title}
    </h1>
  );
}
