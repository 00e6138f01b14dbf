/**
 * `npm run bench [-- --quick] [-- --out FILE]`: the app's performance figures, all against the
 * embedded dev IdP on 127.0.0.1 and headless Chromium, with the same code the app runs.
 *
 * Prints one JSON line per figure (`{"figure":...,"median":...,"p10":...,"p90":...,"runs":N,
 * "target":...,"unit":...}`), then a markdown table, and writes every figure with the machine's
 * description to bench/results.json (git-ignored) or `--out FILE`.
 *
 * `--quick` is the smoke mode: one measured iteration per figure, no warm-up, 20 refreshes instead
 * of 1,000 for the heap and no waiting out request deadlines before its GCs. Its numbers prove the bench runs; they are not the figures to quote.
 *
 * What each figure measures, exactly, is written above the function that measures it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import type { AuthConfig } from '../electron/auth/config.js';
import { schemeRedirectUri } from '../electron/auth/config.js';
import { silentLogger } from '../electron/auth/logger.js';
import { startDevIdp, type DevIdp } from '../electron/dev-idp/index.js';
import { devIdpConfig } from '../electron/main/resolve-config.js';
import { launchChromium } from '../tests/support/chromium.js';
import { startHeadlessApp } from '../tests/support/headless-app.js';
import { serveDirectory } from '../tests/support/static-server.js';
import { loadCipher, openCore, signInThroughCore } from './app-core.js';
import { BrowserStandIn } from '../tests/support/browser-stand-in.js';
import type { HeapReport } from './heap-worker.js';
import { median, round, summarize, table, type Figure } from './stats.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');
const RENDERER_DIR = path.join(ROOT, 'dist/renderer');
const BARE_DIR = path.join(ROOT, 'dist/bench-bare');
const VITE_BIN = path.join(ROOT, 'node_modules/vite/bin/vite.js');
const HOME_HEADING = 'Welcome, Alice Example';
const STORM_SIZE = 100;
/** Any one step of the bench that takes longer than this is a hang, not a slow machine. */
const STEP_TIMEOUT_MS = 10 * 60_000;

interface Plan {
  readonly quick: boolean;
  readonly restore: { warm: number; runs: number };
  readonly storm: { warm: number; runs: number };
  readonly signIn: { warm: number; runs: number };
  readonly ttfp: { warm: number; runs: number };
  readonly heap: { total: number; mark: number };
}

function plan(quick: boolean): Plan {
  return quick
    ? { quick, restore: { warm: 0, runs: 1 }, storm: { warm: 0, runs: 1 }, signIn: { warm: 0, runs: 1 }, ttfp: { warm: 0, runs: 1 }, heap: { total: 20, mark: 2 } }
    : { quick, restore: { warm: 5, runs: 30 }, storm: { warm: 1, runs: 5 }, signIn: { warm: 10, runs: 60 }, ttfp: { warm: 3, runs: 20 }, heap: { total: 1000, mark: 100 } };
}

// ---- process plumbing --------------------------------------------------------------------------

/** Runs a child to completion with a deadline; resolves with its stdout. */
function runChild(args: readonly string[], label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${label} did not finish within ${STEP_TIMEOUT_MS / 1000} s`));
    }, STEP_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${label} exited ${code ?? signal}: ${stderr.slice(-2000)}`));
    });
  });
}

/** `global.gc` is needed (heap figure, and a GC before each restore run): without it, run again with it. */
async function respawnWithGc(): Promise<number> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESPAWNED: '1' },
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

async function viteBuild(configFile: string): Promise<void> {
  // In a child: Vite sets NODE_ENV=production in its process, which must not reach the dev IdP here.
  await runChild([VITE_BIN, 'build', '--config', configFile, '--logLevel', 'warn'], `vite build --config ${configFile}`);
}

async function tempDir(prefix: string, cleanup: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

// ---- shared setup ------------------------------------------------------------------------------

/** Requests to the token endpoint itself (`/token/revocation` is another endpoint). */
function tokenRequests(idp: DevIdp): number {
  return idp.requests.filter((r) => r.path === '/token').length;
}

/** A user-data folder holding a real remembered session, written once by a real sign-in through the core. */
async function signedInFolder(config: AuthConfig, cleanup: string[]): Promise<string> {
  const dir = await tempDir('bench-signed-in-', cleanup);
  const browser = new BrowserStandIn(config.app.scheme);
  const core = openCore({ userDataDir: dir, config, cipher: await loadCipher(dir), openExternal: browser.openExternal });
  try {
    await core.session.restore();
    const { snapshot } = await signInThroughCore(core, browser, { providerId: 'dev', remember: true });
    if (!snapshot.remembered) throw new Error('the sign-in was not remembered');
  } finally {
    await core.session.stop();
  }
  return dir;
}

const refuseBrowser = async (): Promise<void> => {
  throw new Error('restore must not open a browser');
};

// ---- figures -----------------------------------------------------------------------------------

/**
 * restore_ms / restore_requests: a folder with a remembered, still-valid session on disk → a
 * signed-in snapshot. Timed: `createConfStore` + `createAuthCore` (a fresh SessionVault, clients,
 * manager) + `session.restore()` (storage check, read + decrypt + schema-check the record). The AES
 * key is loaded before the clock starts (it stands in for the OS keychain, which Electron holds).
 * Requests: `core.requests.total`, every request the core sent to any provider.
 */
async function restoreFigures(p: Plan, config: AuthConfig, idp: DevIdp, dir: string): Promise<Figure[]> {
  const cipher = await loadCipher(dir);
  const times: number[] = [];
  const requests: number[] = [];
  const idpBefore = idp.requests.length;
  for (let i = 0; i < p.restore.warm + p.restore.runs; i++) {
    globalThis.gc?.();
    const t0 = performance.now();
    const core = openCore({ userDataDir: dir, config, cipher, openExternal: refuseBrowser });
    await core.session.restore();
    const ms = performance.now() - t0;
    const snapshot = core.session.snapshot();
    await core.session.stop();
    if (snapshot.status !== 'signed-in' || !snapshot.remembered) throw new Error(`restore ended ${snapshot.status}`);
    if (i >= p.restore.warm) {
      times.push(ms);
      requests.push(core.requests.total);
    }
  }
  const idpRequests = idp.requests.length - idpBefore;
  return [
    summarize('restore_ms', times, { target: '< 10', unit: 'ms' }),
    summarize('restore_requests', requests, { target: '0', unit: 'requests', detail: { idpRequestsDuringAllRestores: idpRequests } }),
  ];
}

/**
 * refresh_storm_requests: a restored session whose access token the core's clock then sees as
 * expired (the clock jumps past `accessTokenExpiresAt`); 100 `getAccessToken()` calls at once.
 * Counted at the dev IdP: requests to `/token` during the storm. Each run is a new core on the
 * same folder, continuing from the previous run's rotated refresh token.
 */
async function stormFigure(p: Plan, config: AuthConfig, idp: DevIdp, dir: string): Promise<Figure> {
  const cipher = await loadCipher(dir);
  const counts: number[] = [];
  let distinctTokens = 0;
  for (let i = 0; i < p.storm.warm + p.storm.runs; i++) {
    let offset = 0;
    const core = openCore({ userDataDir: dir, config, cipher, openExternal: refuseBrowser, now: () => Date.now() + offset });
    try {
      await core.session.restore();
      const expiresAt = core.session.snapshot().accessTokenExpiresAt;
      if (core.session.snapshot().status !== 'signed-in' || expiresAt === null) throw new Error('the storm needs a signed-in session with an expiry');
      if (core.requests.total !== 0) throw new Error('the token was not fresh at restore');
      offset = expiresAt - Date.now() + 60_000;
      const before = tokenRequests(idp);
      const tokens = await Promise.all(Array.from({ length: STORM_SIZE }, () => core.session.getAccessToken()));
      if (i >= p.storm.warm) {
        counts.push(tokenRequests(idp) - before);
        distinctTokens = Math.max(distinctTokens, new Set(tokens).size);
      }
    } finally {
      await core.session.stop();
    }
  }
  return summarize('refresh_storm_requests', counts, { target: '1', unit: 'requests', detail: { concurrentCalls: STORM_SIZE, maxDistinctTokensReturned: distinctTokens } });
}

/**
 * signin_overhead_ratio: callback received → signed in, the app's core over bare openid-client.
 *
 * App side (timed): `session.handleIncomingUrl(callback)` until `session.signIn()` resolves, with
 * "keep me signed in" off: callback parsing and the exact-redirect/state match, `authorizationCodeGrant`
 * (PKCE verifier, state, nonce, ID-token signature via `enableNonRepudiationChecks`) and
 * `fetchUserInfo` (sub check) through the core's fetch wrapper (deadline, 1 MB cap, counter),
 * profile mapping, removing any older vault record (a read when there is none), snapshot publish.
 * Bare side (timed): `authorizationCodeGrant` with the same checks + `fetchUserInfo` with the
 * ID token's `sub`, on a `Configuration` from `discovery` with the same `execute` options and no
 * customFetch. Not timed on either side: discovery (cached before), building the authorization
 * URL, and getting the code (the stand-in browser follows the IdP's redirects with a cookie jar).
 * Both sides run alternately in the same loop against the same IdP, each with a fresh code.
 * The figure is the median of the per-pair ratios; `signin_remember_overhead_ratio` is the same with
 * "keep me signed in" on (adds encrypting and writing the record), reported, not targeted.
 */
async function signInFigures(p: Plan, config: AuthConfig, idp: DevIdp, cleanup: string[]): Promise<Figure[]> {
  const provider = config.providers[0];
  if (!provider || provider.kind !== 'oidc') throw new Error('the dev IdP config has one OIDC provider');
  const browser = new BrowserStandIn(config.app.scheme);
  const dir = await tempDir('bench-signin-', cleanup);
  const core = openCore({ userDataDir: dir, config, cipher: await loadCipher(dir), openExternal: browser.openExternal });
  await core.session.restore();

  const bare = await oidc.discovery(new URL(idp.issuer), idp.clientId, undefined, oidc.None(), {
    execute: [oidc.enableNonRepudiationChecks, oidc.allowInsecureRequests],
  });
  const redirectUri = schemeRedirectUri(config.app.scheme);
  const bareRun = async (): Promise<number> => {
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const authUrl = oidc.buildAuthorizationUrl(bare, {
      ...provider.authorizationParams,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: provider.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await browser.callbackFor(authUrl);
    const t0 = performance.now();
    const tokens = await oidc.authorizationCodeGrant(bare, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    const userinfo = await oidc.fetchUserInfo(bare, tokens.access_token, claims.sub);
    const ms = performance.now() - t0;
    if (userinfo['name'] !== 'Alice Example') throw new Error('the bare flow signed in someone else');
    return ms;
  };
  const appRun = async (remember: boolean): Promise<number> => {
    const { snapshot, ms } = await signInThroughCore(core, browser, { providerId: 'dev', remember });
    if (snapshot.user?.name !== 'Alice Example' || snapshot.remembered !== remember) throw new Error('the app signed in someone else');
    // Untimed: each sign-in starts signed out with nothing saved, as a person's sign-in does
    // (otherwise a remember-off run would also pay for removing the previous run's record).
    await core.session.signOut({ atProvider: false });
    return ms;
  };

  const app: number[] = [];
  const appRemember: number[] = [];
  const bareTimes: number[] = [];
  try {
    for (let i = 0; i < p.signIn.warm + p.signIn.runs; i++) {
      // Rotate the order so neither side always runs first (warmer caches, fresher sockets).
      const order = [0, 1, 2].map((k) => (k + i) % 3);
      const sample: number[] = [0, 0, 0];
      for (const k of order) sample[k] = k === 0 ? await appRun(false) : k === 1 ? await bareRun() : await appRun(true);
      if (i >= p.signIn.warm) {
        app.push(sample[0] ?? Number.NaN);
        bareTimes.push(sample[1] ?? Number.NaN);
        appRemember.push(sample[2] ?? Number.NaN);
      }
    }
  } finally {
    await core.session.stop();
  }
  const ratios = app.map((a, i) => a / (bareTimes[i] ?? Number.NaN));
  const rememberRatios = appRemember.map((a, i) => a / (bareTimes[i] ?? Number.NaN));
  const detail = { appMedianMs: round(median(app)), bareMedianMs: round(median(bareTimes)), appRememberMedianMs: round(median(appRemember)) };
  return [
    summarize('signin_overhead_ratio', ratios, { target: '<= 1.10', unit: 'ratio', detail }),
    summarize('signin_remember_overhead_ratio', rememberRatios, { target: 'report', unit: 'ratio', detail }),
  ];
}

/** renderer_js_gzip_kb: the sum over dist/renderer/**\/*.js of each file's gzip size (zlib level 9), in kB (1000 bytes). */
async function gzipFigure(): Promise<Figure> {
  const entries = await readdir(RENDERER_DIR, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.js')).map((e) => path.join(e.parentPath, e.name));
  if (files.length === 0) throw new Error(`no .js files under ${RENDERER_DIR}`);
  let gzip = 0;
  let raw = 0;
  for (const file of files) {
    const bytes = await readFile(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const kb = round(gzip / 1000, 2);
  return summarize('renderer_js_gzip_kb', [kb], { target: '<= 100', unit: 'kB', detail: { files: files.length, rawKb: round(raw / 1000, 2) }, digits: 2 });
}

/**
 * Installed before any page script: notes the time (ms since the document's navigation start) of the
 * first animation frame after an <h1> reading the expected text is in the DOM.
 */
const HEADING_PROBE = `(() => {
  const want = ${JSON.stringify(HOME_HEADING)};
  const seen = () => Array.from(document.querySelectorAll('h1')).some((h) => (h.textContent || '').trim() === want);
  const observer = new MutationObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    requestAnimationFrame(() => { globalThis.__benchHeadingAt = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();`;

/** Reloads the page and returns the in-page time from navigation start to the heading's first frame. */
async function timeToHeading(page: Page): Promise<number> {
  await page.reload({ waitUntil: 'commit', timeout: 30_000 });
  await page.waitForFunction(() => typeof (globalThis as { __benchHeadingAt?: unknown }).__benchHeadingAt === 'number', undefined, { timeout: 30_000 });
  const at = await page.evaluate(() => (globalThis as { __benchHeadingAt?: number }).__benchHeadingAt ?? Number.NaN);
  if (!(await page.getByRole('heading', { name: HOME_HEADING }).isVisible())) throw new Error(`"${HOME_HEADING}" is not visible on ${page.url()}`);
  return at;
}

/**
 * renderer_ttfp_ratio: load → protected Home visible, with a remembered session, over the same for a
 * bare React page. App: the headless app (same `startApp`, its window a Chromium page with the
 * preload bridge, the built renderer served over 127.0.0.1 by the test static server with the
 * app's CSP) on a folder holding a valid record; each run reloads the window, and the renderer asks
 * main for the snapshot over the bridge, passes the guard and renders Home. Bare: dist/bench-bare
 * (React rendering that one heading) from the same static server, in a context of the same
 * browser with the same viewport. Both timed in-page from navigation start to the first animation
 * frame after the heading is in the DOM. Alternating, same run; median of per-pair ratios.
 */
async function ttfpFigure(p: Plan, config: AuthConfig, browser: Browser, dir: string): Promise<Figure> {
  const viewport = { width: 1024, height: 720 };
  const h = await startHeadlessApp({ browser, config, userDataDir: dir, window: true, logger: silentLogger, viewport });
  const server = await serveDirectory(BARE_DIR);
  const bareContext = await browser.newContext({ viewport, colorScheme: 'light' });
  try {
    const appPage = h.platform.window;
    if (!appPage) throw new Error('the headless app has no window');
    if (h.app.session.snapshot().status !== 'signed-in') throw new Error('the app did not restore the session');
    await appPage.context().addInitScript({ content: HEADING_PROBE });
    await bareContext.addInitScript({ content: HEADING_PROBE });
    const barePage = await bareContext.newPage();
    await barePage.goto(`${server.origin}/index.html`);
    const app: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < p.ttfp.warm + p.ttfp.runs; i++) {
      let a: number;
      let b: number;
      if (i % 2 === 0) {
        a = await timeToHeading(appPage);
        b = await timeToHeading(barePage);
      } else {
        b = await timeToHeading(barePage);
        a = await timeToHeading(appPage);
      }
      if (i >= p.ttfp.warm) {
        app.push(a);
        bare.push(b);
      }
    }
    const ratios = app.map((a, i) => a / (bare[i] ?? Number.NaN));
    return summarize('renderer_ttfp_ratio', ratios, {
      target: '<= 1.5',
      unit: 'ratio',
      detail: { appMedianMs: round(median(app)), bareMedianMs: round(median(bare)), chromium: browser.version() },
    });
  } finally {
    await bareContext.close().catch(() => undefined);
    await server.close();
    await h.stop();
  }
}

/**
 * main_heap_mb / main_heap_growth_mb: in a separate Node process (see heap-worker.ts) holding only
 * the auth core: sign in, then N forced sequential refreshes against this process's dev IdP;
 * heapUsed after three full GCs at the end, and its change from refresh `mark` to the end. Both
 * points are taken after waiting out the request deadline (requestTimeoutSeconds + 0.5 s), whose
 * timers keep each request's abort signal alive until they fire.
 */
async function heapFigures(p: Plan, idp: DevIdp): Promise<Figure[]> {
  const stdout = await runChild(
    ['--expose-gc', '--import', 'tsx', path.join(BENCH_DIR, 'heap-worker.ts'), idp.issuer, idp.clientId, String(p.heap.total), String(p.heap.mark), p.quick ? 'none' : 'deadline'],
    'heap worker',
  );
  const line = stdout.trim().split('\n').pop() ?? '';
  const report = JSON.parse(line) as HeapReport;
  const detail = {
    refreshes: report.refreshes,
    mark: report.mark,
    heapAfterSignInMb: round(report.heapAfterSignInMb, 2),
    heapAtMarkMb: round(report.heapAtMarkMb, 2),
    heapAtEndUnsettledMb: round(report.heapAtEndUnsettledMb, 2),
    settleMs: report.settleMs,
    rssAtEndMb: round(report.rssAtEndMb, 1),
    meanRefreshMs: round(report.refreshMs, 2),
  };
  return [
    summarize('main_heap_mb', [report.heapAtEndMb], { target: 'report', unit: 'MB', detail, digits: 2 }),
    summarize('main_heap_growth_mb', [report.heapAtEndMb - report.heapAtMarkMb], { target: '≈ 0', unit: 'MB', detail, digits: 2 }),
  ];
}

// ---- main --------------------------------------------------------------------------------------

function machine(chromium: string | null): Record<string, string | number | null> {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    freeMemoryGb: round(os.freemem() / 1024 ** 3, 1),
    loadAverage1m: round(os.loadavg()[0] ?? 0, 2),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } }, strict: true, allowPositionals: false });
  if (typeof globalThis.gc !== 'function') {
    if (process.env['BENCH_RESPAWNED'] === '1') throw new Error('global.gc is still missing after re-spawning with --expose-gc');
    process.exitCode = await respawnWithGc();
    return;
  }
  const p = plan(values.quick === true);
  const out = path.resolve(values.out ?? path.join(BENCH_DIR, 'results.json'));
  const started = new Date();
  const cleanup: string[] = [];

  // The renderer is rebuilt for a full run so its size is current; the smoke run reuses a build.
  if (!p.quick || !existsSync(path.join(RENDERER_DIR, 'index.html'))) await viteBuild(path.join(ROOT, 'vite.renderer.config.ts'));
  await viteBuild(path.join(BENCH_DIR, 'bare-react/vite.config.ts'));

  const [idp, browser] = await Promise.all([startDevIdp({ autoLogin: 'alice', logger: silentLogger }), launchChromium()]);
  const figures: Figure[] = [];
  const chromium = browser.version();
  try {
    const config = devIdpConfig(idp.issuer, idp.clientId);
    const remembered = await signedInFolder(config, cleanup);
    const stormFolder = await signedInFolder(config, cleanup);
    figures.push(...(await restoreFigures(p, config, idp, remembered)));
    figures.push(await stormFigure(p, config, idp, stormFolder));
    figures.push(...(await signInFigures(p, config, idp, cleanup)));
    figures.push(await gzipFigure());
    // The app window gets its own copy: the running app may refresh and rewrite its folder.
    const windowFolder = await tempDir('bench-window-', cleanup);
    await cp(remembered, windowFolder, { recursive: true });
    figures.push(await ttfpFigure(p, config, browser, windowFolder));
    figures.push(...(await heapFigures(p, idp)));
  } finally {
    await browser.close().catch(() => undefined);
    await idp.close().catch(() => undefined);
    await Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 })));
  }

  for (const f of figures) process.stdout.write(`${JSON.stringify(f)}\n`);
  process.stdout.write(`\n${table(figures)}\n`);
  const results = {
    date: started.toISOString(),
    durationS: round((Date.now() - started.getTime()) / 1000, 1),
    mode: p.quick ? 'quick' : 'full',
    plan: p,
    machine: machine(chromium),
    provider: 'embedded dev IdP (oidc-provider) on 127.0.0.1',
    figures,
  };
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write(`results written to ${out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
