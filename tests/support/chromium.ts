/**
 * Launches Chromium for tests and the headless host: Debian's `/usr/bin/chromium` (or
 * `CHROMIUM_PATH`) when it exists, Playwright's own browser otherwise.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidate = env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : undefined;
}

// Without the background-networking flags Chromium dials Google's hosts, which this network refuses.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumLaunchOptions(extra: LaunchOptions = {}): LaunchOptions {
  const executablePath = chromiumExecutable();
  return { headless: true, args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}), ...extra };
}

export function launchChromium(extra: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions(extra));
}
