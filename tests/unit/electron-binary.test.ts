import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FETCH_CAUSE_IMPORT,
  downloadProblem,
  failureLine,
  installFailureReason,
  locateElectronBinary,
  platformExecutable,
} from '../../scripts/electron-binary.js';

describe('locateElectronBinary', () => {
  let dir: string;
  let electronDir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'electron-binary-'));
    electronDir = path.join(dir, 'node_modules', 'electron');
    await mkdir(electronDir, { recursive: true });
    await writeFile(path.join(electronDir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.3.4' }));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is missing until something downloads it, and says so', () => {
    const found = locateElectronBinary(electronDir, {}, 'linux');
    expect(found).toEqual({
      version: '45.3.4',
      executable: path.join(electronDir, 'dist', 'electron'),
      present: false,
      problem: `no Electron 45.3.4 binary has been downloaded yet (looked for ${path.join(electronDir, 'dist', 'electron')})`,
    });
  });

  it('finds the binary that install.js recorded in path.txt', async () => {
    await mkdir(path.join(electronDir, 'dist'));
    await writeFile(path.join(electronDir, 'path.txt'), 'electron');
    await writeFile(path.join(electronDir, 'dist', 'electron'), '');
    expect(locateElectronBinary(electronDir, {}, 'linux')).toMatchObject({ present: true, problem: null, executable: path.join(electronDir, 'dist', 'electron') });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as index.js does', async () => {
    const override = path.join(dir, 'my-electron');
    const env = { ELECTRON_OVERRIDE_DIST_PATH: override };
    const missing = locateElectronBinary(electronDir, env, 'linux');
    expect(missing).toMatchObject({ present: false, problem: `ELECTRON_OVERRIDE_DIST_PATH has no electron (looked for ${path.join(override, 'electron')})` });
    expect(failureLine(missing.version, missing.problem ?? '')).toMatch(/^npm start: cannot run Electron 45\.3\.4: ELECTRON_OVERRIDE_DIST_PATH has no electron \(looked for /);
    await mkdir(override);
    await writeFile(path.join(override, 'electron'), '');
    expect(locateElectronBinary(electronDir, env, 'linux')).toMatchObject({ present: true, executable: path.join(override, 'electron') });
  });

  it('knows where each platform keeps the executable', () => {
    expect(platformExecutable('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
    expect(platformExecutable('win32')).toBe('electron.exe');
    expect(platformExecutable('linux')).toBe('electron');
  });

  it('says when the electron package itself is absent', () => {
    const found = locateElectronBinary(path.join(dir, 'nowhere'), {}, 'linux');
    expect(found.present).toBe(false);
    expect(found.version).toBeUndefined();
    expect(found.problem).toMatch(/electron package is not installed/);
  });
});

describe('installFailureReason', () => {
  it('takes the error line from a stack, without the class name', () => {
    const output = 'Error: download from github.com failed: getaddrinfo ENOTFOUND github.com\n    at globalThis.fetch (data:...)\n    at async x\n';
    expect(installFailureReason(output, 1, false)).toBe('download from github.com failed: getaddrinfo ENOTFOUND github.com');
    expect(installFailureReason('HTTPError: Response code 404 (Not Found)\n    at y', 1, false)).toBe('Response code 404 (Not Found)');
  });

  it('names the time limit on a timeout and the exit status when there is nothing to read', () => {
    expect(installFailureReason('partial', null, true)).toBe('the download did not finish within 60 s');
    expect(installFailureReason('', 1, false)).toBe('install.js exited with code 1 and said nothing');
    expect(installFailureReason('  \n', null, false)).toBe('install.js exited with a signal and said nothing');
    expect(installFailureReason('', 0, false)).toBe('install.js finished but left no binary behind');
  });
});

describe('the fetch cause hook', () => {
  it('turns Node\'s bare "fetch failed" into the underlying network error', async () => {
    // `.invalid` never resolves (RFC 6761), online or off: the same failure as an unreachable mirror.
    const script = "fetch('https://electron.invalid/electron.zip').then(() => process.exit(0), (e) => { console.error(e.stack); process.exit(1); })";
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', FETCH_CAUSE_IMPORT, '-e', script], { timeout: 20_000 }, (error, _stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr });
      });
    });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/fetch failed/);
    expect(installFailureReason(run.stderr, run.code, false)).toMatch(
      /^download from electron\.invalid failed: getaddrinfo (ENOTFOUND|EAI_AGAIN) electron\.invalid$/,
    );
  });
});

describe('failureLine', () => {
  it('is one line with the reason and both ways out', () => {
    const line = failureLine('45.3.4', downloadProblem('download from github.com failed: getaddrinfo ENOTFOUND github.com'));
    expect(line).not.toContain('\n');
    expect(line).toBe(
      'npm start: cannot run Electron 45.3.4: the binary is missing and could not be downloaded (download from github.com failed: getaddrinfo ENOTFOUND github.com). ' +
        'Set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron 45 build, or ELECTRON_MIRROR to a reachable mirror, then run npm start again.',
    );
  });

});
