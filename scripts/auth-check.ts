/**
 * `npm run auth:check`: checks a provider configuration, and optionally signs in, restores,
 * refreshes or signs out through the same core as the app, using headless Chromium as the system
 * browser. Prints exactly one JSON object on stdout; never a token. Exit status 0 only on success.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { configPath, findProvider, loadAuthConfigFile, type AuthConfig, type ProviderConfig } from '../electron/auth/config.js';
import { AuthError, toErrorValue } from '../electron/auth/errors.js';
import { createLogger, logLevelFromEnv, type Logger } from '../electron/auth/logger.js';
import type { ProviderClient } from '../electron/auth/provider-client.js';
import { runCommand } from '../electron/main/linux-desktop-entry.js';
import { devIdpConfig } from '../electron/main/resolve-config.js';
import { startApp, type RunningApp } from '../electron/main/start-app.js';
import { launchChromium } from '../tests/support/chromium.js';
import { createHeadlessPlatform, type HeadlessPlatform } from '../tests/support/headless-platform.js';
import { parseAuthCheckArgs, type AuthCheckArgs } from './auth-check-args.js';

type Json = Record<string, unknown>;

async function loadConfig(args: AuthCheckArgs, logger: Logger): Promise<{ config: AuthConfig; stop: () => Promise<void> }> {
  const file = args.config ? path.resolve(args.config) : configPath(process.cwd());
  const config = await loadAuthConfigFile(file, args.config !== undefined || process.env['AUTH_CONFIG'] !== undefined);
  if (config) return { config, stop: async () => undefined };
  // No config: the embedded dev provider, signing Alice in without a form so --sign-in can run unattended.
  const { startDevIdp } = await import('../electron/dev-idp/index.js');
  const idp = await startDevIdp({ autoLogin: 'alice', logger });
  return { config: devIdpConfig(idp.issuer, idp.clientId), stop: () => idp.close() };
}

/** Reachability and capability checks that need no sign-in. */
async function checkProvider(client: ProviderClient, provider: ProviderConfig, scheme: string): Promise<Json> {
  const started = performance.now();
  const config = await client.configuration();
  const metadata = config.serverMetadata();
  if (provider.kind === 'oauth2') {
    // No discovery to prove it is there: any HTTP answer from the authorization endpoint will do.
    await fetch(provider.authorizationEndpoint, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(10_000) }).catch((cause: unknown) => {
      throw new AuthError('provider_unreachable', `Could not reach ${new URL(provider.authorizationEndpoint).host}.`, { cause });
    });
  }
  const methods = metadata.code_challenge_methods_supported;
  return {
    kind: provider.kind,
    issuer: metadata.issuer,
    s256: Array.isArray(methods) ? methods.includes('S256') : 'not advertised',
    revocation: Boolean(metadata.revocation_endpoint),
    endSession: Boolean(metadata.end_session_endpoint),
    redirect: { kind: provider.redirect.kind, ...(provider.redirect.kind === 'scheme' ? await schemeHandler(scheme) : { usable: true }) },
    ms: Math.round(performance.now() - started),
  };
}

/** On Linux, whether the OS would hand `<scheme>:` links to a desktop file (the app registers it at start). */
async function schemeHandler(scheme: string): Promise<Json> {
  if (process.platform !== 'linux') return { usable: true, osHandler: 'registered by the app at start' };
  const result = await runCommand('xdg-mime', ['query', 'default', `x-scheme-handler/${scheme}`], process.env).catch(() => undefined);
  const handler = result && result.code === 0 ? result.stdout.trim() : '';
  return handler
    ? { usable: true, osHandler: handler }
    : { usable: true, osHandler: null, note: `No desktop file handles ${scheme}: links yet; the app registers one when it starts (xdg-mime ${result ? 'answered nothing' : 'is not installed'}).` };
}

async function run(args: AuthCheckArgs, logger: Logger): Promise<Json> {
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = Math.round((performance.now() - t0) * 10) / 10;
    }
  };

  const { config, stop: stopConfig } = await time('config', () => loadConfig(args, logger));
  const provider = args.provider ? findProvider(config, args.provider) : config.providers[0];
  if (!provider) throw new AuthError('config_invalid', 'The configuration lists no provider.');

  const needsApp = args.signIn || args.restore || args.refresh || args.signOut;
  const userDataDir = args.userData ? path.resolve(args.userData) : await mkdtemp(path.join(os.tmpdir(), 'auth-check-'));
  let browser: Browser | undefined;
  let platform: HeadlessPlatform | undefined;
  let app: RunningApp | undefined;
  try {
    browser = args.signIn ? await launchChromium() : undefined;
    platform = await createHeadlessPlatform({
      userDataDir,
      scheme: config.app.scheme,
      // Only --sign-in opens a browser; the other steps must work without Chromium.
      ...(browser ? { browser } : {}),
      logger,
      window: false,
    });
    app = await time('start', () => startApp(platform!, { config, logger }));
    const core = app.core;
    const client = core.clients.get(provider.id);
    if (!client) throw new AuthError('unknown_provider', `No provider is registered as "${provider.id}".`);

    const out: Json = { ok: true, providerId: provider.id, configSource: config.source };
    const restoredRequests = core.requests.total;
    if (!needsApp || args.restore) {
      // --restore reports what the restore at start did; it happened inside startApp.
      if (args.restore) {
        const s = app.session.snapshot();
        if (s.status !== 'signed-in') throw new AuthError(s.signedOutReason ?? 'unauthenticated', s.lastError?.message ?? 'No saved session to restore.');
        Object.assign(out, { restoredRequests, remembered: s.remembered, offline: s.offline });
      }
    }
    if (!needsApp) out['checks'] = await time('check', () => checkProvider(client, provider, config.app.scheme));
    if (args.signIn) {
      const before = core.requests.total;
      await time('signIn', () => app!.session.signIn(provider.id, { remember: args.userData !== undefined }));
      out['signInRequests'] = core.requests.total - before;
    }
    if (args.refresh) {
      const before = core.requests.total;
      await time('refresh', () => app!.session.refresh({ force: true }));
      out['refreshRequests'] = core.requests.total - before;
    }
    const snapshot = app.session.snapshot();
    if (snapshot.user) out['user'] = snapshot.user;
    if (snapshot.status === 'signed-in') {
      Object.assign(out, { remembered: snapshot.remembered, accessTokenExpiresAt: snapshot.accessTokenExpiresAt && new Date(snapshot.accessTokenExpiresAt).toISOString() });
    }
    if (args.signOut) {
      const result = await time('signOut', () => app!.session.signOut({ atProvider: args.atProvider }));
      Object.assign(out, { signedOut: true, revoked: result.revoked, revocationError: result.revocationError });
    }
    out['requests'] = core.requests.total;
    out['requestsByPath'] = Object.fromEntries(core.requests.byPath);
    out['timingsMs'] = timings;
    return out;
  } finally {
    await app?.stop();
    await platform?.close();
    await browser?.close();
    await stopConfig();
    if (!args.userData) await rm(userDataDir, { recursive: true, force: true, maxRetries: 5 });
  }
}

async function main(): Promise<number> {
  const logger = createLogger({ level: process.env['LOG_LEVEL'] ? logLevelFromEnv() : 'warn' });
  try {
    const out = await run(parseAuthCheckArgs(process.argv.slice(2)), logger);
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AuthError)) logger.error('auth:check failed', { error });
    process.stdout.write(`${JSON.stringify({ ok: false, error: toErrorValue(error) })}\n`);
    return 1;
  }
}

process.exitCode = await main();
