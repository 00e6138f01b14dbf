/**
 * `npm run idp -- [--port N] [--scheme com.example.desktop] [--auto-login alice|bob]`
 *
 * Starts the development IdP and prints one JSON line, `{"issuer":...,"clientId":...}`, on stdout
 * for scripts to read; logs go to stderr. Stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { schemeSchema } from '../auth/config.js';
import { isAuthError } from '../auth/errors.js';
import { createLogger, logLevelFromEnv } from '../auth/logger.js';
import { startDevIdp } from './index.js';

const argsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  scheme: schemeSchema.optional(),
  'auto-login': z.enum(['alice', 'bob']).optional(),
});

async function main(): Promise<void> {
  const logger = createLogger({ level: logLevelFromEnv() });
  let args: z.infer<typeof argsSchema>;
  try {
    const { values } = parseArgs({
      options: { port: { type: 'string' }, scheme: { type: 'string' }, 'auto-login': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    args = argsSchema.parse(values);
  } catch (error) {
    const message = error instanceof z.ZodError ? error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ') : String(error);
    process.stderr.write(`usage: npm run idp -- [--port N] [--scheme com.example.desktop] [--auto-login alice|bob]\n${message}\n`);
    process.exitCode = 2;
    return;
  }

  const idp = await startDevIdp({
    port: args.port,
    ...(args.scheme ? { scheme: args.scheme } : {}),
    ...(args['auto-login'] ? { autoLogin: args['auto-login'] } : {}),
    logger,
  });
  process.stdout.write(`${JSON.stringify({ issuer: idp.issuer, clientId: idp.clientId })}\n`);

  const stop = (signal: NodeJS.Signals): void => {
    logger.info('dev IdP stopping', { signal });
    idp.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('dev IdP did not stop cleanly', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  createLogger().error('dev IdP failed to start', { error, code: isAuthError(error) ? error.code : undefined });
  process.exitCode = 1;
});
