/**
 * The Platform over Electron. Created before `ready`, because some things only work then: the
 * single-instance lock, the privileged `app:` scheme and macOS `open-url` (which fires during launch).
 */
import { type BrowserWindow, app, powerMonitor, session, shell } from 'electron';
import type { Logger } from '../auth/logger.js';
import ElectronStore from 'electron-store';
import { createConfStore, type StoredValues } from '../auth/conf-store.js';
import type { Platform } from '../main/platform.js';
import { RENDERER_ORIGIN } from '../main/window-policy.js';
import { createSafeStorageCipher } from './electron-cipher.js';
import { createDeepLinkQueue } from './electron-deep-links.js';
import { createElectronIpc } from './electron-ipc.js';
import { registerScheme } from './electron-protocol-registration.js';
import { registerRendererScheme, serveRenderer } from './electron-renderer-protocol.js';
import { bringToFront, createAppWindow, refuseWebviews } from './electron-window.js';

export interface ElectronPlatformOptions {
  readonly appName: string;
  /** package.json `desktopName` (Linux). */
  readonly desktopName: string;
  /** The built renderer, dist/renderer. */
  readonly rendererDir: string;
  /** The built preload, dist/preload/preload.cjs. */
  readonly preloadPath: string;
  readonly logger: Logger;
}

/** Null when another instance already runs: it gets our argv (`second-instance`) and we quit. */
export function createElectronPlatform(options: ElectronPlatformOptions): Platform | null {
  const { logger } = options;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  const deepLinks = createDeepLinkQueue();
  const windows = new Set<BrowserWindow>();
  const mainWindow = (): BrowserWindow | undefined => [...windows][0];
  const focusWindow = (): void => {
    const window = mainWindow();
    if (window) bringToFront(window);
  };

  registerRendererScheme();
  refuseWebviews();
  app.on('will-finish-launching', () => {
    app.on('open-url', (event, url) => {
      event.preventDefault();
      deepLinks.pushUrl(url);
      focusWindow();
    });
  });
  deepLinks.pushArgv(process.argv);
  app.on('second-instance', (_event, argv) => {
    deepLinks.pushArgv(argv);
    focusWindow();
  });

  const ready = app.whenReady().then(() => {
    serveRenderer(options.rendererDir, logger);
    // The app needs no camera, notifications or anything else a page can ask for.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
  });

  const openExternal = (url: string): Promise<void> => shell.openExternal(url, { activate: true });

  return {
    name: 'electron',
    isPackaged: app.isPackaged,
    // Read once: electron-main applies --user-data-dir before creating the platform.
    userDataDir: app.getPath('userData'),
    rendererOrigin: RENDERER_ORIGIN,
    openExternal,
    cipher: createSafeStorageCipher(),
    // electron-store in userData, through the shared conf store so Electron keeps the same options
    // and the same corrupt-file recovery as Node (electron-store takes the file name as `name`).
    createStore: (name) =>
      createConfStore({ cwd: app.getPath('userData'), configName: name, open: (o) => new ElectronStore<StoredValues>({ ...o, name: o.configName ?? name }) }),
    ipc: createElectronIpc(() => [...windows]),
    onDeepLink: (listener) => deepLinks.setListener(listener),
    onResume(listener) {
      void ready.then(() => powerMonitor.on('resume', listener));
    },
    async registerProtocol(scheme) {
      deepLinks.setScheme(scheme);
      await ready;
      return registerScheme(scheme, { appName: options.appName, desktopName: options.desktopName });
    },
    async showWindow() {
      await ready;
      const existing = mainWindow();
      if (existing && !existing.isDestroyed()) {
        bringToFront(existing);
        return;
      }
      const devTools = !app.isPackaged;
      const { window, loaded } = createAppWindow({ title: options.appName, preloadPath: options.preloadPath, devTools, openExternal, logger });
      windows.add(window);
      window.on('closed', () => windows.delete(window));
      await loaded;
    },
    focusWindow,
    quit: () => app.quit(),
  };
}
