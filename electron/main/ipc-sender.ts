/**
 * Main answers IPC only from the app's own top frame (GitHub Desktop's `isTrustedIPCSender`): a
 * frame from anywhere else, or an iframe, is refused before its payload is even parsed.
 */
import type { IpcSender } from './platform.js';

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Compares protocol and host rather than `URL.origin`, which is the string 'null' for every
 * non-special scheme such as `app:` and would make all of them look alike.
 */
export function isTrustedSender(sender: IpcSender, rendererOrigin: string): boolean {
  if (!sender.isMainFrame) return false;
  const from = parse(sender.url);
  const expected = parse(rendererOrigin);
  if (from === undefined || expected === undefined || expected.host === '') return false;
  if (from.username !== '' || from.password !== '') return false;
  return from.protocol === expected.protocol && from.host === expected.host;
}
