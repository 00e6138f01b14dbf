/**
 * Where the Electron binary is and, when it cannot be had, the one line `npm start` prints.
 * Electron 45 no longer downloads at `npm install`: `node_modules/electron/index.js` fetches it on
 * first use (install.js, via @electron/get), honouring ELECTRON_OVERRIDE_DIST_PATH,
 * electron_config_cache and ELECTRON_MIRROR. These are the decisions; scripts/start.ts does the I/O.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const INSTALL_TIME_LIMIT_MS = 60_000;

export interface ElectronBinary {
  /** The Electron version the project depends on (node_modules/electron/package.json), if readable. */
  readonly version: string | undefined;
  /** Where the executable is or would be. */
  readonly executable: string;
  readonly present: boolean;
  /** Why it is not usable, for a skipped test or the failure line; null when present. */
  readonly problem: string | null;
}

/** install.js's `getPlatformPath`. */
export function platformExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readVersion(electronDir: string): string | undefined {
  const text = readText(path.join(electronDir, 'package.json'));
  if (text === undefined) return undefined;
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/** The same lookup as node_modules/electron/index.js, without its side effect of downloading. */
export function locateElectronBinary(
  electronDir: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): ElectronBinary {
  const version = readVersion(electronDir);
  const recorded = readText(path.join(electronDir, 'path.txt'))?.trim() || undefined;
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const relative = recorded ?? platformExecutable(platform);
  const executable = override ? path.join(override, relative) : path.join(electronDir, 'dist', relative);
  if (version === undefined) {
    return { version, executable, present: false, problem: `the electron package is not installed in ${electronDir}` };
  }
  if (existsSync(executable)) return { version, executable, present: true, problem: null };
  const where = override ? `ELECTRON_OVERRIDE_DIST_PATH has no ${relative}` : `no Electron ${version} binary has been downloaded yet`;
  return { version, executable, present: false, problem: `${where} (looked for ${executable})` };
}

/**
 * Node's fetch reports every network failure as "fetch failed" and keeps the reason in `cause`,
 * which install.js's `console.error(err.stack)` drops. Loaded with `--import` into install.js only,
 * this rethrows with the innermost cause in the message (e.g. `getaddrinfo ENOTFOUND github.com`).
 */
const FETCH_CAUSE_SOURCE = `
const original = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  try { return await original(input, init); }
  catch (error) {
    let cause = error;
    while (cause && cause.cause) cause = cause.cause;
    let host = 'the download host';
    try { host = new URL(typeof input === 'string' ? input : input.url ?? String(input)).host; } catch {}
    throw new Error('download from ' + host + ' failed: ' + (cause && cause.message ? cause.message : String(error)));
  }
};`;

export const FETCH_CAUSE_IMPORT = `data:text/javascript,${encodeURIComponent(FETCH_CAUSE_SOURCE)}`;

const STACK_FRAME = /^\s+at\s/;
const ERROR_PREFIX = /^(?:[A-Z][A-Za-z]*)?Error:\s*/;

/** The reason in install.js's output: the first line of its error, without the stack or the class name. */
export function installFailureReason(output: string, exitCode: number | null, timedOut: boolean): string {
  if (timedOut) return `the download did not finish within ${INSTALL_TIME_LIMIT_MS / 1000} s`;
  const line = output
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .find((l) => l.trim() !== '' && !STACK_FRAME.test(l));
  if (line !== undefined) return line.trim().replace(ERROR_PREFIX, '').slice(0, 300);
  if (exitCode === 0) return 'install.js finished but left no binary behind';
  return `install.js exited with ${exitCode === null ? 'a signal' : `code ${exitCode}`} and said nothing`;
}

/** Why `npm start` has no binary after trying to download one. */
export function downloadProblem(reason: string): string {
  return `the binary is missing and could not be downloaded (${reason})`;
}

/** The single line `npm start` writes when it cannot run Electron. */
export function failureLine(version: string | undefined, problem: string): string {
  const build = version ? `Electron ${version}` : 'Electron';
  const major = version ? `an Electron ${version.split('.')[0]} build` : 'an Electron build';
  return (
    `npm start: cannot run ${build}: ${problem}. ` +
    `Set ELECTRON_OVERRIDE_DIST_PATH to a folder holding ${major}, or ELECTRON_MIRROR to a reachable mirror, then run npm start again.`
  );
}
