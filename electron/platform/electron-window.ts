/**
 * The app window: sandboxed, isolated, no Node, its own preload, and pinned to `app://renderer/`.
 * Links to the web go to the system browser; the window itself never leaves the app's pages.
 */
import { BrowserWindow, app } from 'electron';
import type { Logger } from '../auth/logger.js';
import type { OpenExternal } from '../auth/ports.js';
import { RENDERER_ENTRY_URL, externalOpenTarget, isAllowedNavigation } from '../main/window-policy.js';

export interface AppWindowOptions {
  readonly title: string;
  readonly preloadPath: string;
  readonly devTools: boolean;
  readonly openExternal: OpenExternal;
  readonly logger: Logger;
}

/** Once per process: no window or web view may attach a `<webview>`, whoever created it. */
export function refuseWebviews(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** The window exists at once (so it can be tracked); `loaded` settles when the first page has loaded. */
export function createAppWindow(options: AppWindowOptions): { window: BrowserWindow; loaded: Promise<void> } {
  const window = new BrowserWindow({
    title: options.title,
    width: 960,
    height: 720,
    minWidth: 480,
    minHeight: 480,
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick', // middle-click must not open links around setWindowOpenHandler
      devTools: options.devTools,
    },
  });
  const { webContents } = window;
  const refuseNavigation = (event: { preventDefault(): void; url: string }): void => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    options.logger.warn('Refused a navigation away from the app', { url: event.url });
  };
  webContents.on('will-navigate', refuseNavigation);
  webContents.on('will-redirect', refuseNavigation);
  webContents.setWindowOpenHandler(({ url }) => {
    const target = externalOpenTarget(url);
    if (target === null) options.logger.warn('Refused to open a window', { url });
    else void options.openExternal(target).catch((error: unknown) => options.logger.warn('Could not open the browser', { error }));
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());
  return { window, loaded: window.loadURL(RENDERER_ENTRY_URL) };
}

/** A callback arrived: bring the window back from the dock or taskbar and to the front. */
export function bringToFront(window: BrowserWindow): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
