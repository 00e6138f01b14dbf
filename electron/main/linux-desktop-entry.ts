/**
 * Linux routes `<scheme>:` links through a `.desktop` file naming `x-scheme-handler/<scheme>` and
 * the `xdg-mime` default for that type. Electron's `setAsDefaultProtocolClient` does the same via
 * xdg-settings, but only for a desktop file that already exists, which an unpackaged or AppImage
 * run does not have. So we write one, make it the default, and ask the OS whether it took.
 */
import { execFile } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ProtocolRegistration } from './platform.js';
import { appPathArgument } from './protocol-client-args.js';

export interface DesktopEntry {
  /** What a launcher would show (NoDisplay hides it in development). */
  readonly name: string;
  /** The command line, executable first; `%u` (the URL) is appended. */
  readonly exec: readonly string[];
  readonly scheme: string;
  readonly noDisplay: boolean;
}

export interface CommandResult {
  /** null when the command could not be started or was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when it could not be started (`ENOENT`: not installed). */
  readonly errorCode?: string;
}

export type CommandRunner = (command: string, args: readonly string[], env: NodeJS.ProcessEnv) => Promise<CommandResult>;

// Desktop Entry spec, "The Exec key": an argument with one of these must be double-quoted.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

function quoteExecArgument(arg: string): string {
  if (/[\n\r]/.test(arg)) throw new Error('A desktop entry Exec argument cannot contain a line break.');
  const field = arg.replace(/%/g, '%%');
  return RESERVED.test(field) || field === '' ? `"${field.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : field;
}

/** String-value escaping comes on top of Exec quoting (so a literal backslash is written as four). */
function escapeStringValue(value: string): string {
  return value.replace(/\\/g, '\\\\');
}

function plainValue(value: string): string {
  return value.replace(/[\n\r]/g, ' ');
}

export function desktopEntryContent(entry: DesktopEntry): string {
  const exec = [...entry.exec.map(quoteExecArgument), '%u'].join(' ');
  const lines = [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${plainValue(entry.name)}`,
    `Exec=${escapeStringValue(exec)}`,
    'Terminal=false',
    `MimeType=x-scheme-handler/${entry.scheme};`,
    ...(entry.noDisplay ? ['NoDisplay=true'] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** `desktopName` from package.json (what Electron reads), as the file name `xdg-mime` expects. */
export function desktopFileName(desktopName: string): string {
  const base = path.basename(desktopName);
  return base.endsWith('.desktop') ? base : `${base}.desktop`;
}

export const DEFAULT_DESKTOP_NAME = 'desktop-sign-in.desktop';

/** package.json `desktopName` (which Electron itself reads on Linux), or the default when absent or odd. */
export function desktopNameFromPackageJson(text: string | undefined): string {
  try {
    const value: unknown = text === undefined ? undefined : (JSON.parse(text) as { desktopName?: unknown }).desktopName;
    return typeof value === 'string' && /^[\w.-]+\.desktop$/.test(value) ? value : DEFAULT_DESKTOP_NAME;
  } catch {
    return DEFAULT_DESKTOP_NAME;
  }
}

export interface LaunchContext {
  readonly packaged: boolean;
  /** `$APPIMAGE`: set by the AppImage runtime to the image's own path. */
  readonly appImage: string | undefined;
  readonly execPath: string;
  readonly argv: readonly string[];
  readonly cwd: string;
}

/**
 * What the desktop should run for a callback, or undefined when the app's own package installed a
 * .desktop file (.deb, .rpm) and nothing needs writing: the AppImage itself, or electron plus the
 * app folder in development.
 */
export function linuxLaunchCommand(context: LaunchContext): string[] | undefined {
  if (context.packaged) return context.appImage ? [context.appImage] : undefined;
  const appPath = appPathArgument(context.argv);
  return appPath === undefined ? undefined : [context.execPath, path.resolve(context.cwd, appPath)];
}

/** `$XDG_DATA_HOME/applications`, `~/.local/share/applications` by default. */
export function applicationsDir(env: NodeJS.ProcessEnv, homeDir: string = os.homedir()): string {
  const dataHome = env['XDG_DATA_HOME'];
  return path.join(dataHome && path.isAbsolute(dataHome) ? dataHome : path.join(homeDir, '.local', 'share'), 'applications');
}

export const runCommand: CommandRunner = (command, args, env) =>
  new Promise((resolve) => {
    execFile(command, [...args], { env, timeout: 10_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      const errorCode = error !== null && typeof error.code === 'string' ? error.code : undefined;
      resolve({ code, stdout, stderr, ...(errorCode ? { errorCode } : {}) });
    });
  });

export interface LinuxRegistrationOptions {
  readonly desktopName: string;
  readonly entry: DesktopEntry;
  readonly env: NodeJS.ProcessEnv;
  readonly homeDir?: string;
  readonly run?: CommandRunner;
}

function failed(problem: string): ProtocolRegistration {
  return { ok: false, problem };
}

function describeFailure(step: string, result: CommandResult): string {
  const output = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
  return `${step} failed${result.code === null ? '' : ` (exit ${result.code})`}${output ? `: ${output}` : ''}`;
}

export async function registerLinuxSchemeHandler(options: LinuxRegistrationOptions): Promise<ProtocolRegistration> {
  const run = options.run ?? runCommand;
  const { scheme } = options.entry;
  const mimeType = `x-scheme-handler/${scheme}`;
  const fileName = desktopFileName(options.desktopName);
  const dir = applicationsDir(options.env, options.homeDir);
  const consequence = `so ${scheme}: links will not reach this app and sign-in callbacks cannot arrive`;
  try {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, fileName);
    // Write then rename, so a desktop environment scanning the folder never reads half a file.
    await writeFile(`${file}.tmp`, desktopEntryContent(options.entry), { mode: 0o644 });
    await rename(`${file}.tmp`, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return failed(`Could not write ${fileName} into ${dir} (${code}), ${consequence}.`);
  }

  const setDefault = await run('xdg-mime', ['default', fileName, mimeType], options.env);
  if (setDefault.errorCode === 'ENOENT') {
    return failed(`xdg-mime is not installed (it comes with xdg-utils), ${consequence}.`);
  }
  if (setDefault.code !== 0) return failed(`${describeFailure(`xdg-mime default ${fileName} ${mimeType}`, setDefault)}, ${consequence}.`);

  const query = await run('xdg-mime', ['query', 'default', mimeType], options.env);
  if (query.code !== 0) return failed(`${describeFailure(`xdg-mime query default ${mimeType}`, query)}, ${consequence}.`);
  const handler = query.stdout.trim();
  if (handler !== fileName) {
    const now = handler === '' ? 'no application' : handler;
    return failed(`The desktop still opens ${mimeType} with ${now} instead of ${fileName}, ${consequence}.`);
  }
  return { ok: true, problem: null };
}
