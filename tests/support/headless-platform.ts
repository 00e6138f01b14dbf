/**
 * The Platform without Electron: Playwright's Chromium is both the app window (the built renderer
 * served over loopback, with the preload's API injected through bindings) and the system browser;
 * the cipher is AES-256-GCM with a key file the host owns and the store is `conf`. The e2e tests,
 * `auth:check` and the benchmarks run the real composition root on it.
 */
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import { createConfStore } from '../../electron/auth/conf-store.js';
import type { Logger } from '../../electron/auth/logger.js';
import type { Cipher } from '../../electron/auth/ports.js';
import type { Channel, Events } from '../../electron/contract.js';
import type { IpcListener, IpcSender, Platform } from '../../electron/main/platform.js';
import { serveDirectory, type StaticServer } from './static-server.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = path.join(PROJECT_ROOT, 'dist/renderer');

let bridgeScript: Promise<string> | undefined;
function headlessBridge(): Promise<string> {
  bridgeScript ??= build({
    entryPoints: [path.join(import.meta.dirname, 'headless-bridge.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]?.text ?? '');
  return bridgeScript;
}

/** Drives a page of the system browser (fill in a login form, click consent...). */
export type BrowserDriver = (page: Page) => Promise<void>;

export interface HeadlessPlatformOptions {
  readonly userDataDir: string;
  readonly scheme: string;
  /** Chromium for the window and the system browser; without it neither can open. */
  readonly browser?: Browser;
  readonly logger: Logger;
  /** Show the renderer in a window; off for `auth:check` and core-only tests. */
  readonly window?: boolean;
  readonly rendererDir?: string;
  readonly viewport?: { width: number; height: number };
  readonly colorScheme?: 'light' | 'dark';
  /** Replace the AES cipher, e.g. to model Linux's `basic_text` backend. */
  readonly cipher?: Cipher;
  /** What the person does in the system browser; by default nothing (auto-login providers). */
  readonly driver?: BrowserDriver;
  readonly isPackaged?: boolean;
  /** Replace the system browser entirely (record the URL, hold the callback yourself). */
  readonly openExternal?: (url: string) => Promise<void>;
}

export interface HeadlessPlatform extends Platform {
  readonly window: Page | undefined;
  /** URLs the app asked the system browser to open, in order. */
  readonly openedUrls: readonly string[];
  /** Every IPC payload and every event the window received: for the no-secret-leaks check. */
  readonly ipcTraffic: unknown[];
  setDriver(driver: BrowserDriver | undefined): void;
  /** What the OS does when a link with our scheme is opened. */
  deliverDeepLink(url: string): void;
  /** Call a channel as a given sender would (the adversarial suite's foreign origins). */
  invoke(channel: string, payload: unknown, sender?: IpcSender): Promise<unknown>;
  emitResume(): void;
  close(): Promise<void>;
}

async function aesCipher(userDataDir: string): Promise<Cipher> {
  return createAesGcmCipher(await loadOrCreateKeyFile(path.join(userDataDir, 'vault.key')));
}

export async function createHeadlessPlatform(options: HeadlessPlatformOptions): Promise<HeadlessPlatform> {
  const { logger, scheme } = options;
  const browser = (): Browser => {
    if (!options.browser) throw new Error('This headless platform has no browser.');
    return options.browser;
  };
  const cipher = options.cipher ?? (await aesCipher(options.userDataDir));
  const handlers = new Map<string, IpcListener>();
  const deepLinkQueue: string[] = [];
  let deepLinkListener: ((url: string) => void) | undefined;
  const resumeListeners: (() => void)[] = [];
  const openedUrls: string[] = [];
  const ipcTraffic: unknown[] = [];
  const pendingDrives = new Set<Promise<void>>();
  let driver = options.driver;
  let server: StaticServer | undefined;
  let windowContext: BrowserContext | undefined;
  let windowPage: Page | undefined;
  let systemBrowser: BrowserContext | undefined;

  const deliverDeepLink = (url: string): void => {
    if (deepLinkListener) deepLinkListener(url);
    else deepLinkQueue.push(url);
  };

  // Chromium cannot open our private-use scheme; like the OS, hand such redirects to the app.
  const watchForCallbacks = (page: Page): void => {
    const prefix = `${scheme}:`;
    page.on('response', (response) => {
      const location = response.headers()['location'];
      if (location?.toLowerCase().startsWith(prefix)) deliverDeepLink(location);
    });
    page.on('request', (request) => {
      if (request.url().toLowerCase().startsWith(prefix)) deliverDeepLink(request.url());
    });
  };

  const rendererOrigin = options.window === false ? 'http://127.0.0.1:0' : (server = await serveDirectory(options.rendererDir ?? RENDERER_DIR)).origin;

  const invoke = async (channel: string, payload: unknown, sender: IpcSender): Promise<unknown> => {
    ipcTraffic.push({ channel, payload });
    const handler = handlers.get(channel);
    const answer = handler
      ? await handler(sender, payload)
      : { ok: false, error: { code: 'unknown_channel', message: 'No such request.' } };
    ipcTraffic.push({ channel, answer });
    return answer;
  };

  const platform: HeadlessPlatform = {
    name: 'headless',
    isPackaged: options.isPackaged ?? false,
    userDataDir: options.userDataDir,
    rendererOrigin,
    cipher,
    get window() {
      return windowPage;
    },
    openedUrls,
    ipcTraffic,
    openExternal: async (url) => {
      openedUrls.push(url);
      if (options.openExternal) return options.openExternal(url);
      systemBrowser ??= await browser().newContext();
      const page = await systemBrowser.newPage();
      watchForCallbacks(page);
      const drive = (async () => {
        // 'commit': a page that submits itself on load (the provider's logout) never fires load;
        // a redirect to our scheme aborts the navigation, which is expected.
        await page.goto(url, { waitUntil: 'commit' }).catch(() => undefined);
        await driver?.(page);
      })().catch((error: unknown) => logger.debug('system browser driver stopped', { error }));
      pendingDrives.add(drive);
      void drive.finally(() => pendingDrives.delete(drive));
    },
    createStore: (name) => createConfStore({ cwd: options.userDataDir, configName: name }),
    ipc: {
      handle: (channel: Channel, listener: IpcListener) => {
        handlers.set(channel, listener);
      },
      broadcast: <E extends keyof Events>(event: E, payload: Events[E]) => {
        ipcTraffic.push({ event, payload });
        void windowPage?.evaluate(([e, p]) => (globalThis as unknown as { __authEmit?: (e: string, p: unknown) => void }).__authEmit?.(e, p), [event, payload] as const).catch(() => undefined);
      },
    },
    onDeepLink: (listener) => {
      deepLinkListener = listener;
      for (const url of deepLinkQueue.splice(0)) listener(url);
    },
    onResume: (listener) => {
      resumeListeners.push(listener);
    },
    registerProtocol: async () => ({ ok: true, problem: null }),
    showWindow: async () => {
      if (options.window === false || windowPage) return;
      windowContext = await browser().newContext({ viewport: options.viewport ?? { width: 1024, height: 720 }, colorScheme: options.colorScheme ?? 'light' });
      await windowContext.exposeBinding('__authInvoke', (source, channel: unknown, payload: unknown) =>
        invoke(String(channel), payload, { url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }),
      );
      await windowContext.addInitScript({ content: await headlessBridge() });
      windowPage = await windowContext.newPage();
      await windowPage.goto(`${rendererOrigin}/index.html`);
    },
    focusWindow: () => undefined,
    quit: () => undefined,
    setDriver: (next) => {
      driver = next;
    },
    deliverDeepLink,
    invoke: (channel, payload, sender) => invoke(channel, payload, sender ?? { url: `${rendererOrigin}/index.html`, isMainFrame: true }),
    emitResume: () => resumeListeners.forEach((l) => l()),
    close: async () => {
      await Promise.allSettled([...pendingDrives]);
      await windowContext?.close().catch(() => undefined);
      await systemBrowser?.close().catch(() => undefined);
      await server?.close();
    },
  };
  return platform;
}
