/**
 * Starts the whole app on the headless platform: the same `startApp` as Electron, with Chromium as
 * window and system browser. Tests and `auth:check` use it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { AuthConfig } from '../../electron/auth/config.js';
import { createLogger, type LogRecord, type Logger } from '../../electron/auth/logger.js';
import type { RefreshPolicy } from '../../electron/auth/refresh-policy.js';
import { startApp, type RunningApp } from '../../electron/main/start-app.js';
import { createHeadlessPlatform, type HeadlessPlatform, type HeadlessPlatformOptions } from './headless-platform.js';

export interface HeadlessApp {
  readonly app: RunningApp;
  readonly platform: HeadlessPlatform;
  readonly logs: LogRecord[];
  readonly userDataDir: string;
  /** Stops the app; the user data stays unless `removeUserData`. */
  stop(options?: { removeUserData?: boolean }): Promise<void>;
}

export async function tempUserData(prefix = 'desktop-sign-in-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export interface HeadlessAppOptions extends Partial<Omit<HeadlessPlatformOptions, 'browser' | 'scheme' | 'logger'>> {
  readonly browser?: Browser;
  readonly config: AuthConfig;
  readonly logger?: Logger;
  readonly refreshPolicy?: Partial<RefreshPolicy>;
  readonly configProblem?: string | null;
}

export async function startHeadlessApp(options: HeadlessAppOptions): Promise<HeadlessApp> {
  const userDataDir = options.userDataDir ?? (await tempUserData());
  const logs: LogRecord[] = [];
  const logger = options.logger ?? createLogger({ level: 'debug', sink: (r) => logs.push(r) });
  const platform = await createHeadlessPlatform({ ...options, userDataDir, scheme: options.config.app.scheme, logger });
  const app = await startApp(platform, {
    config: options.config,
    logger,
    ...(options.refreshPolicy ? { refreshPolicy: options.refreshPolicy } : {}),
    ...(options.configProblem !== undefined ? { configProblem: options.configProblem } : {}),
  });
  return {
    app,
    platform,
    logs,
    userDataDir,
    stop: async ({ removeUserData = false } = {}) => {
      await app.stop();
      await platform.close();
      if (removeUserData) await rm(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}
