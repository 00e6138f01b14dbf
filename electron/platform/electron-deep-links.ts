/**
 * Callback URLs reach the app three ways: the first instance's argv (Windows, Linux), a second
 * instance's argv (`second-instance`), and macOS `open-url`. They can arrive before the app knows its
 * scheme or has a listener, so they are queued and delivered in arrival order once both are set.
 * No Electron import: the platform wires the events in.
 */
import { extractCallbackUrlFromArgv } from '../auth/callback-url.js';

type Arrival = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'argv'; readonly argv: readonly string[] };

// Anyone can launch the app with arguments: a flood must not grow memory without bound.
const MAX_QUEUED = 20;

export interface DeepLinkQueue {
  /** An `open-url` URL (already routed to us by the OS for our scheme). */
  pushUrl(url: string): void;
  /** A command line that may carry a callback URL among Chromium flags. */
  pushArgv(argv: readonly string[]): void;
  setScheme(scheme: string): void;
  setListener(listener: (url: string) => void): void;
}

export function createDeepLinkQueue(): DeepLinkQueue {
  const pending: Arrival[] = [];
  let scheme: string | undefined;
  let listener: ((url: string) => void) | undefined;

  const flush = (): void => {
    if (scheme === undefined || listener === undefined) return;
    for (let arrival = pending.shift(); arrival !== undefined; arrival = pending.shift()) {
      const url = arrival.kind === 'url' ? arrival.url : extractCallbackUrlFromArgv(arrival.argv, scheme);
      if (url !== undefined) listener(url);
    }
  };
  const push = (arrival: Arrival): void => {
    if (pending.length >= MAX_QUEUED) pending.shift();
    pending.push(arrival);
    flush();
  };

  return {
    pushUrl: (url) => push({ kind: 'url', url }),
    pushArgv: (argv) => push({ kind: 'argv', argv: [...argv] }),
    setScheme: (value) => {
      scheme = value;
      flush();
    },
    setListener: (value) => {
      listener = value;
      flush();
    },
  };
}
