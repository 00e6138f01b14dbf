/**
 * The Electron entry (bundled to dist/main/main.js): build the Electron Platform, find the config,
 * and hand both to the same `startApp` the headless host uses. Nothing else happens here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog } from 'electron';
import { createLogger, logLevelFromEnv } from '../auth/logger.js';
import { desktopNameFromPackageJson } from '../main/linux-desktop-entry.js';
import { resolveConfig } from '../main/resolve-config.js';
import { startApp } from '../main/start-app.js';
import { createElectronPlatform } from './electron-platform.js';

const APP_NAME = 'Desktop Sign-In';
const here = path.dirname(fileURLToPath(import.meta.url)); // dist/main
const logger = createLogger({ level: logLevelFromEnv(), fields: { process: 'main' } });

function readAppFile(name: string): string | undefined {
  try {
    return readFileSync(path.join(app.getAppPath(), name), 'utf8');
  } catch {
    return undefined;
  }
}

// Tests and a second profile pass --user-data-dir; it must apply before the single-instance lock,
// which is per userData folder.
const userDataSwitch = app.commandLine.getSwitchValue('user-data-dir');
if (userDataSwitch) app.setPath('userData', path.resolve(userDataSwitch));

const platform = createElectronPlatform({
  appName: APP_NAME,
  desktopName: desktopNameFromPackageJson(readAppFile('package.json')),
  rendererDir: path.join(here, '..', 'renderer'),
  preloadPath: path.join(here, '..', 'preload', 'preload.cjs'),
  logger,
});

async function main(): Promise<void> {
  if (platform === null) return; // the running instance has our argv now
  await app.whenReady();
  // A packaged app's working folder is arbitrary ('/' on macOS): it reads its config from its resources.
  const configDir = app.isPackaged ? process.resourcesPath : process.cwd();
  const resolved = await resolveConfig({ cwd: configDir, env: process.env, packaged: app.isPackaged, logger });
  const running = await startApp(platform, { config: resolved.config, logger, configProblem: resolved.configProblem });

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    // Let the session manager and the dev IdP finish (pending writes, sockets) before Electron exits.
    event.preventDefault();
    stopped = true;
    void Promise.allSettled([running.stop(), resolved.stop()]).then(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => void platform.showWindow());
}

main().catch((error: unknown) => {
  logger.error('The app could not start', { error });
  dialog.showErrorBox(APP_NAME, 'The app could not start. The details are in the log.');
  app.exit(1);
});
