/** The command line of `npm run auth:check`, parsed into a typed value (unknown flags are errors). */
import { parseArgs } from 'node:util';
import { AuthError } from '../electron/auth/errors.js';

export interface AuthCheckArgs {
  readonly config: string | undefined;
  readonly provider: string | undefined;
  readonly signIn: boolean;
  readonly restore: boolean;
  readonly refresh: boolean;
  readonly signOut: boolean;
  readonly atProvider: boolean;
  readonly userData: string | undefined;
}

export const USAGE =
  'npm run auth:check -- [--config FILE] [--provider ID] [--sign-in] [--restore] [--refresh] [--sign-out [--at-provider]] [--user-data DIR]';

export function parseAuthCheckArgs(argv: readonly string[]): AuthCheckArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        provider: { type: 'string' },
        'sign-in': { type: 'boolean', default: false },
        restore: { type: 'boolean', default: false },
        refresh: { type: 'boolean', default: false },
        'sign-out': { type: 'boolean', default: false },
        'at-provider': { type: 'boolean', default: false },
        'user-data': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new AuthError('invalid_request', `${error instanceof Error ? error.message : 'bad arguments'}. Usage: ${USAGE}`);
  }
  const args: AuthCheckArgs = {
    config: values.config,
    provider: values.provider,
    signIn: values['sign-in'],
    restore: values.restore,
    refresh: values.refresh,
    signOut: values['sign-out'],
    atProvider: values['at-provider'],
    userData: values['user-data'],
  };
  if ((args.restore || args.refresh || args.signOut) && !args.signIn && !args.userData) {
    throw new AuthError('invalid_request', `--restore, --refresh and --sign-out work on a saved session: give --user-data DIR. Usage: ${USAGE}`);
  }
  return args;
}
