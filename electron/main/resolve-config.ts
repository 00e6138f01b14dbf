/**
 * Where the providers come from: `AUTH_CONFIG` or `./auth.config.json`; with neither, in
 * development, the embedded development provider starts on 127.0.0.1 and stands in, so a newcomer
 * sees the whole flow at once. A packaged app never ships or starts the dev provider.
 */
import { configPath, DEFAULT_SCHEME, defaultAppSettings, loadAuthConfigFile, parseAuthConfig, type AuthConfig } from '../auth/config.js';
import type { Logger } from '../auth/logger.js';
import type * as DevIdpModule from '../dev-idp/index.js';

export interface ResolvedConfig {
  readonly config: AuthConfig;
  readonly configProblem: string | null;
  stop(): Promise<void>;
}

const noop = async (): Promise<void> => undefined;

export async function resolveConfig(options: { cwd: string; env: NodeJS.ProcessEnv; packaged: boolean; logger: Logger }): Promise<ResolvedConfig> {
  const file = configPath(options.cwd, options.env);
  const fromFile = await loadAuthConfigFile(file, options.env['AUTH_CONFIG'] !== undefined);
  if (fromFile) {
    options.logger.info('config loaded', { file, providers: fromFile.providers.map((p) => p.id) });
    return { config: fromFile, configProblem: null, stop: noop };
  }
  if (options.packaged) {
    const config: AuthConfig = { app: defaultAppSettings(), providers: [], source: 'none' };
    return { config, configProblem: `No sign-in provider is configured: add ${file}.`, stop: noop };
  }
  // A variable, not a literal specifier, keeps bundlers from pulling the dev provider into main.
  const devIdpModule = '../dev-idp/index.js';
  const { startDevIdp } = (await import(/* @vite-ignore */ devIdpModule)) as typeof DevIdpModule;
  const port = Number(options.env['DEV_IDP_PORT'] ?? 0);
  const idp = await startDevIdp({ port: Number.isInteger(port) ? port : 0, scheme: DEFAULT_SCHEME, logger: options.logger.child({ component: 'dev-idp' }) });
  options.logger.info('no config file; using the embedded development provider', { issuer: idp.issuer, file });
  return { config: devIdpConfig(idp.issuer, idp.clientId), configProblem: null, stop: () => idp.close() };
}

export function devIdpConfig(issuer: string, clientId: string): AuthConfig {
  return parseAuthConfig(
    {
      providers: [
        { id: 'dev', label: 'Development provider', issuer, clientId, apiBaseUrl: issuer, userPath: 'me', scopes: ['openid', 'profile', 'email', 'offline_access'] },
      ],
    },
    'dev-idp',
  );
}
