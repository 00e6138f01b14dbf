/**
 * The only seam between the app and Electron. `startApp` is written against this interface;
 * `platform/electron.ts` implements it with Electron, `tests/support/headless-platform.ts` with
 * Node and Playwright's Chromium.
 */
import type { Channel, Events } from '../contract.js';
import type { Cipher, OpenExternal, Store } from '../auth/ports.js';

/** Who sent an IPC message: main only trusts the app's own top frame. */
export interface IpcSender {
  /** The URL of the frame that sent it. */
  readonly url: string;
  readonly isMainFrame: boolean;
}

export type IpcListener = (sender: IpcSender, payload: unknown) => Promise<unknown>;

export interface IpcPort {
  /** Register the one listener for a channel; the adapter must route nothing else. */
  handle(channel: Channel, listener: IpcListener): void;
  /** Push an event to every app window. */
  broadcast<E extends keyof Events>(event: E, payload: Events[E]): void;
}

export interface ProtocolRegistration {
  readonly ok: boolean;
  /** Why the OS did not take it, in one sentence, when it did not. */
  readonly problem: string | null;
}

export interface Platform {
  readonly name: 'electron' | 'headless';
  readonly isPackaged: boolean;
  readonly userDataDir: string;
  /** Origin the renderer is served from (e.g. `app://renderer`); IPC from any other origin is refused. */
  readonly rendererOrigin: string;
  readonly openExternal: OpenExternal;
  readonly cipher: Cipher;
  createStore(name: string): Store;
  readonly ipc: IpcPort;
  /** Deep links (argv, second-instance, open-url): delivered in order, queued until a listener is set. */
  onDeepLink(listener: (url: string) => void): void;
  /** The machine resumed from sleep: time to check the token. */
  onResume(listener: () => void): void;
  registerProtocol(scheme: string): Promise<ProtocolRegistration>;
  /** Create (or show) the main window with the renderer. */
  showWindow(): Promise<void>;
  /** Bring the window to the front: a callback arrived. */
  focusWindow(): void;
  quit(): void;
}
