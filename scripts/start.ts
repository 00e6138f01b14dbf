/**
 * `npm start`: make sure the Electron binary is there (fetching it once if it is not), build, and
 * run the app. When Electron cannot be had, it says why and what to do in exactly one line.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FETCH_CAUSE_IMPORT,
  INSTALL_TIME_LIMIT_MS,
  downloadProblem,
  failureLine,
  installFailureReason,
  locateElectronBinary,
} from './electron-binary.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  readonly timedOut: boolean;
}

/** Runs Electron's own install.js with a time limit, keeping its output to find the reason. */
function runElectronInstall(): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', FETCH_CAUSE_IMPORT, path.join(electronDir, 'install.js')], {
      cwd: electronDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let timedOut = false;
    const collect = (chunk: Buffer): void => {
      if (output.length < 64 * 1024) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, INSTALL_TIME_LIMIT_MS);
    child.on('error', (error) => {
      output += `${error.message}\n`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, timedOut });
    });
  });
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { cwd: root, stdio: 'inherit', env });
    // Ctrl-C reaches the child through the terminal; forwarding other signals lets it shut down cleanly.
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
    process.on('SIGTERM', forward);
    process.on('SIGHUP', forward);
    child.on('error', (error) => {
      process.stderr.write(`npm start: could not run ${command}: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main(): Promise<number> {
  let binary = locateElectronBinary(electronDir, process.env);
  if (!binary.present) {
    // A download cannot fix a missing package or an override folder without Electron in it.
    if (binary.version === undefined || process.env['ELECTRON_OVERRIDE_DIST_PATH']) {
      process.stderr.write(`${failureLine(binary.version, binary.problem ?? 'electron is not installed')}\n`);
      return 1;
    }
    const attempt = await runElectronInstall();
    binary = locateElectronBinary(electronDir, process.env);
    if (!binary.present) {
      const reason = installFailureReason(attempt.output, attempt.code, attempt.timedOut);
      process.stderr.write(`${failureLine(binary.version, downloadProblem(reason))}\n`);
      return 1;
    }
  }

  const npmCli = process.env['npm_execpath'];
  const built = npmCli
    ? await run(process.execPath, [npmCli, 'run', 'build'], process.env)
    : await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], process.env);
  if (built !== 0) return built;

  // An inherited ELECTRON_RUN_AS_NODE would start plain Node instead of the app.
  const env = { ...process.env };
  delete env['ELECTRON_RUN_AS_NODE'];
  return run(binary.executable, [root, ...process.argv.slice(2)], env);
}

process.exitCode = await main();
