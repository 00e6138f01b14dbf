/**
 * Tells the OS to open `<scheme>:` links with this app, and reports whether it took. On Linux an
 * unpackaged or AppImage run has no installed .desktop file, so one is written and made the default
 * (electron/main/linux-desktop-entry.ts); a .deb installs its own from electron-builder.yml.
 */
import { app } from 'electron';
import { linuxLaunchCommand, registerLinuxSchemeHandler } from '../main/linux-desktop-entry.js';
import type { ProtocolRegistration } from '../main/platform.js';
import { protocolClientArgs } from '../main/protocol-client-args.js';

export interface SchemeRegistrationOptions {
  readonly appName: string;
  /** package.json `desktopName`, the file name Linux knows the app by. */
  readonly desktopName: string;
}

export async function registerScheme(scheme: string, options: SchemeRegistrationOptions): Promise<ProtocolRegistration> {
  const { execPath, argv } = process;
  const args = protocolClientArgs(scheme, { platform: process.platform, defaultApp: process.defaultApp === true, execPath, argv, cwd: process.cwd() });
  if (args === undefined) {
    return refused(`Electron was started without an app folder, so Windows cannot be told to open ${scheme}: links with this app`);
  }
  const taken = args.length === 1 ? app.setAsDefaultProtocolClient(args[0]) : app.setAsDefaultProtocolClient(args[0], args[1], args[2]);

  if (process.platform === 'linux') {
    const exec = linuxLaunchCommand({ packaged: app.isPackaged, appImage: process.env['APPIMAGE'], execPath, argv, cwd: process.cwd() });
    // A .deb/.rpm ships its .desktop file; setAsDefaultProtocolClient (xdg-settings) covers it.
    if (exec === undefined) return taken ? { ok: true, problem: null } : refused(`xdg-settings could not make ${options.desktopName} the handler of ${scheme}: links (is xdg-utils installed?)`);
    const entry = { name: options.appName, exec, scheme, noDisplay: !app.isPackaged };
    return registerLinuxSchemeHandler({ desktopName: options.desktopName, entry, env: process.env });
  }
  return taken ? { ok: true, problem: null } : refused(`The operating system refused to make this app the handler of ${scheme}: links`);
}

function refused(what: string): ProtocolRegistration {
  return { ok: false, problem: `${what}, so sign-in callbacks may not arrive.` };
}
