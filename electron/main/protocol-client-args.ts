/**
 * Arguments for `app.setAsDefaultProtocolClient`. On Windows the OS launches the registered
 * executable, which in development is electron.exe: it must be told which app to run, or the
 * callback would open Electron's default app. Elsewhere the scheme alone is what Electron uses.
 */
import path from 'node:path';

export type ProtocolClientArgs = readonly [scheme: string] | readonly [scheme: string, execPath: string, args: string[]];

export interface ProtocolClientContext {
  readonly platform: NodeJS.Platform;
  /** `process.defaultApp`: true when started as `electron <app path>` rather than packaged. */
  readonly defaultApp: boolean;
  readonly execPath: string;
  readonly argv: readonly string[];
  readonly cwd: string;
}

/**
 * In development Electron runs as `electron [flags] <app path> [more]`. Tools such as Playwright put
 * their own flags (`--inspect=0`, `--no-sandbox`) first, so `argv[1]` is not always the app path:
 * it is the first argument after the executable that is not a flag.
 */
export function appPathArgument(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((arg) => arg !== '' && !arg.startsWith('-'));
}

/** `undefined` when a Windows development run has no app path to register (nothing sensible to do). */
export function protocolClientArgs(scheme: string, context: ProtocolClientContext): ProtocolClientArgs | undefined {
  if (context.platform !== 'win32' || !context.defaultApp) return [scheme];
  const appPath = appPathArgument(context.argv);
  if (appPath === undefined) return undefined;
  return [scheme, context.execPath, [path.win32.resolve(context.cwd, appPath)]];
}
