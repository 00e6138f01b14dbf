/**
 * `npm run auth:check` as a person runs it: separate processes, a config file, real providers.
 * Sign-in then restore in a new process shows a remembered login with zero requests.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIdp, type DevIdp } from '../../electron/dev-idp/index.js';
import { startMisbehavingOidc, type MisbehaviourMode } from '../support/fixtures/misbehaving-oidc.js';
import { PROJECT_ROOT } from '../support/headless-platform.js';

const run = promisify(execFile);
let dir: string;
let idp: DevIdp;

interface CheckOutput {
  ok: boolean;
  error?: { code: string; message: string };
  [key: string]: unknown;
}

async function authCheck(...args: string[]): Promise<{ code: number; out: CheckOutput }> {
  const tsx = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
  try {
    const { stdout } = await run(tsx, ['scripts/auth-check.ts', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, AUTH_CONFIG: '' }, timeout: 60_000 });
    return { code: 0, out: JSON.parse(stdout) as CheckOutput };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: JSON.parse(e.stdout) as CheckOutput };
  }
}

async function configFile(name: string, provider: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify({ providers: [{ id: 'p', label: 'Provider', ...provider }] }));
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'auth-check-test-'));
  idp = await startDevIdp({ autoLogin: 'alice' });
});
afterAll(async () => {
  await idp?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('npm run auth:check', () => {
  it('signs in, then restores in a new process with zero requests, refreshes once and signs out with revocation', async () => {
    const config = await configFile('dev', { issuer: idp.issuer, clientId: idp.clientId });
    const userData = path.join(dir, 'user-data');

    const signIn = await authCheck('--config', config, '--sign-in', '--user-data', userData);
    expect(signIn.code).toBe(0);
    expect(signIn.out).toMatchObject({ ok: true, providerId: 'p', remembered: true, user: { sub: 'alice', name: 'Alice Example' } });

    const restore = await authCheck('--config', config, '--restore', '--user-data', userData);
    expect(restore.out).toMatchObject({ ok: true, restoredRequests: 0, requests: 0, remembered: true, user: { sub: 'alice' } });

    const refresh = await authCheck('--config', config, '--refresh', '--user-data', userData);
    expect(refresh.out).toMatchObject({ ok: true, requestsByPath: { '/token': 1 } });

    const before = idp.revocations.length;
    const signOut = await authCheck('--config', config, '--sign-out', '--user-data', userData);
    expect(signOut.out).toMatchObject({ ok: true, signedOut: true, revoked: true });
    expect(idp.revocations.slice(before).map((r) => r.tokenType)).toContain('refresh_token');

    const after = await authCheck('--config', config, '--restore', '--user-data', userData);
    expect(after).toMatchObject({ code: 1, out: { ok: false, error: { code: 'unauthenticated' } } });
  });

  it('checks a provider without signing in', async () => {
    const { out } = await authCheck('--config', await configFile('check', { issuer: idp.issuer, clientId: idp.clientId }));
    expect(out).toMatchObject({ ok: true, checks: { kind: 'oidc', s256: true, revocation: true, endSession: true } });
  });

  it.each<[MisbehaviourMode, string]>([
    ['bad-signature', 'id_token_invalid'],
    ['wrong-nonce', 'id_token_invalid'],
    ['discovery-500', 'provider_unreachable'],
    ['userinfo-sub-mismatch', 'subject_mismatch'],
  ])('fails with the right code against a provider in mode %s', async (mode, code) => {
    const bad = await startMisbehavingOidc({ mode });
    try {
      const result = await authCheck('--config', await configFile(mode, { issuer: bad.issuer, clientId: bad.clientId }), '--sign-in');
      expect(result).toMatchObject({ code: 1, out: { ok: false, error: { code } } });
    } finally {
      await bad.close();
    }
  });

  it('names the bad field of an invalid config and exits non-zero', async () => {
    const file = path.join(dir, 'invalid.json');
    await writeFile(file, JSON.stringify({ providers: [{ id: 'a', label: 'A', clientId: 'x', issuer: 'http://example.com' }] }));
    const { code, out } = await authCheck('--config', file);
    expect(code).toBe(1);
    expect(out.error?.code).toBe('config_invalid');
    expect(out.error?.message).toContain('providers[0].issuer: must be an https URL (http is allowed only for 127.0.0.1)');
  });

  it('never prints a token', async () => {
    const config = await configFile('leak', { issuer: idp.issuer, clientId: idp.clientId });
    const { out } = await authCheck('--config', config, '--sign-in');
    expect(JSON.stringify(out)).not.toMatch(/eyJ|access_token|refresh_token|code_verifier/);
  });
});
