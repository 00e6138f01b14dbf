/**
 * The headless host's preload: the same `createAuthApi` the Electron preload exposes, over
 * Playwright bindings instead of ipcRenderer. Bundled to an IIFE and injected before the page runs.
 */
import type { RendererTransport } from '../../electron/contract.js';
import { createAuthApi } from '../../electron/preload/auth-api.js';

interface HostWindow {
  __authInvoke(channel: string, payload: unknown): Promise<unknown>;
  __authEmit?: (event: string, payload: unknown) => void;
}

// Typed through globalThis: this file is bundled for the page but type-checked with the Node config.
const host = globalThis as unknown as HostWindow;
const listeners = new Map<string, Set<(payload: unknown) => void>>();

host.__authEmit = (event: string, payload: unknown) => {
  for (const listener of listeners.get(event) ?? []) listener(payload);
};

const transport: RendererTransport = {
  invoke: (channel, payload) => host.__authInvoke(channel, payload),
  subscribe: (event, listener) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  },
};

Object.defineProperty(globalThis, 'auth', { value: createAuthApi(transport), writable: false, configurable: false });
