/**
 * Main's side of the contract: one handler per channel, registered from the contract's channel
 * list. Every call is checked for its sender, parsed with the channel's schema, refused with
 * `unauthenticated` on protected channels when signed out, and answered as a Result value.
 */
import { CHANNELS, isChannel, protectedChannels, requestSchemas, type Channel, type ParsedRequest, type Responses } from '../contract.js';
import { formatIssuePath } from '../auth/config.js';
import { AuthError, toErrorValue } from '../auth/errors.js';
import type { Logger } from '../auth/logger.js';
import { fail, ok, type Result } from '../auth/result.js';
import type { SessionManager } from '../auth/session-manager.js';
import { isTrustedSender } from './ipc-sender.js';
import type { IpcPort, IpcSender } from './platform.js';

export type Handlers = { [C in Channel]: (request: ParsedRequest<C>) => Promise<Responses[C]> };

export interface IpcDeps {
  readonly ipc: IpcPort;
  readonly rendererOrigin: string;
  readonly session: SessionManager;
  readonly handlers: Handlers;
  readonly logger: Logger;
}

/** The single place a request from the renderer is judged; exported for the adversarial tests. */
export async function dispatch<C extends Channel>(deps: IpcDeps, channel: C, sender: IpcSender, payload: unknown): Promise<Result<Responses[C]>> {
  if (!isTrustedSender(sender, deps.rendererOrigin)) {
    deps.logger.warn('IPC refused from an untrusted sender', { channel, origin: safeOrigin(sender.url) });
    return fail({ code: 'forbidden_sender', message: 'This request did not come from the app.' });
  }
  // The name is input too: an adapter that routes any string here must not reach `__proto__`'s schema.
  if (!isChannel(channel)) return fail({ code: 'unknown_channel', message: 'No such request.' });
  const parsed = requestSchemas[channel].safeParse(payload);
  if (!parsed.success) {
    // Issue messages quote the sender's keys (`Unrecognized keys: "..."`): keep the echo short.
    const problems = parsed.error.issues.slice(0, 3).map((i) => clip(`${formatIssuePath(i.path)}: ${i.message}`, MAX_PROBLEM_CHARS));
    return fail({ code: 'invalid_request', message: `The request was malformed (${problems.join('; ')}).` });
  }
  if (protectedChannels.has(channel) && deps.session.snapshot().status !== 'signed-in') {
    return fail({ code: 'unauthenticated', message: 'Sign in to see this.' });
  }
  try {
    const handler = deps.handlers[channel] as (request: unknown) => Promise<Responses[C]>;
    return ok(await handler(parsed.data));
  } catch (error) {
    if (!(error instanceof AuthError)) deps.logger.error('IPC handler failed', { channel, error });
    return fail(toErrorValue(error));
  }
}

const MAX_PROBLEM_CHARS = 120;

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // By code points, so a cut never leaves half a surrogate pair.
  return `${[...text.slice(0, 2 * max)].slice(0, max - 1).join('')}…`;
}

function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparseable)';
  }
}

export function registerIpcHandlers(deps: IpcDeps): void {
  for (const channel of CHANNELS) {
    deps.ipc.handle(channel, (sender, payload) => dispatch(deps, channel, sender, payload));
  }
  deps.session.subscribe((snapshot) => deps.ipc.broadcast('auth:changed', snapshot));
}
