/**
 * `main_heap_mb`, measured in a process of its own so that only the app's side is on the heap (the
 * dev IdP, Chromium's driver and the other figures live in the parent): the auth core signs Alice
 * in, then forces `total` sequential refreshes against the parent's dev IdP. After a full GC it
 * records heapUsed at refresh `mark` and at the end.
 *
 * Every provider request carries an `AbortSignal.timeout(requestTimeoutSeconds)` deadline, whose
 * timer (and what it holds) lives until it fires even when the request finished long before. So at
 * the mark and at the end the worker first waits out that deadline (`settleMs`), then collects:
 * otherwise the heap holds the last ~10 s of refreshes' signals, which is bounded, not a leak.
 * The unsettled end value is reported too.
 *
 *   node --expose-gc --import tsx bench/heap-worker.ts <issuer> <clientId> <total> <mark> [settle]
 *
 * `settle` is `deadline` (the default) or `none` (the smoke run, which has no time to wait).
 *
 * Prints one JSON line on stdout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import { devIdpConfig } from '../electron/main/resolve-config.js';
import { loadCipher, openCore, signInThroughCore } from './app-core.js';
import { BrowserStandIn } from '../tests/support/browser-stand-in.js';

export interface HeapReport {
  readonly heapAfterSignInMb: number;
  readonly heapAtMarkMb: number;
  readonly heapAtEndMb: number;
  /** At the end, collected at once, without waiting out the request deadlines. */
  readonly heapAtEndUnsettledMb: number;
  readonly settleMs: number;
  readonly rssAtEndMb: number;
  readonly refreshes: number;
  readonly mark: number;
  readonly refreshMs: number;
}

const MB = 1024 * 1024;

async function fullGc(): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  // A few rounds, with a turn of the event loop between, so finalizers and weak refs settle.
  for (let i = 0; i < 3; i++) {
    gc();
    await tick();
  }
  return process.memoryUsage().heapUsed / MB;
}

async function main(): Promise<void> {
  const [issuer, clientId, totalArg, markArg, settleArg = 'deadline'] = process.argv.slice(2);
  const total = Number(totalArg);
  const mark = Number(markArg);
  if (!issuer || !clientId || !Number.isInteger(total) || !Number.isInteger(mark) || mark < 1 || mark > total || total > 100_000 || !['deadline', 'none'].includes(settleArg)) {
    throw new Error('usage: heap-worker.ts <issuer> <clientId> <total> <mark> [deadline|none]');
  }
  if (new URL(issuer).hostname !== '127.0.0.1') throw new Error('the benchmark talks to 127.0.0.1 only');
  const config = devIdpConfig(issuer, clientId);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-heap-'));
  const browser = new BrowserStandIn(config.app.scheme);
  const core = openCore({ userDataDir: dir, config, cipher: await loadCipher(dir), openExternal: browser.openExternal });
  try {
    await core.session.restore();
    await signInThroughCore(core, browser, { providerId: 'dev', remember: true });
    const heapAfterSignInMb = await fullGc();
    const settleMs = settleArg === 'none' ? 0 : config.app.requestTimeoutSeconds * 1000 + 500;
    let heapAtMarkMb = Number.NaN;
    let refreshMs = 0;
    for (let i = 1; i <= total; i++) {
      const t0 = performance.now();
      await core.session.refresh({ force: true });
      refreshMs += performance.now() - t0;
      if (i === mark) {
        await sleep(settleMs);
        heapAtMarkMb = await fullGc();
      }
    }
    refreshMs /= total;
    const heapAtEndUnsettledMb = await fullGc();
    await sleep(settleMs);
    const heapAtEndMb = await fullGc();
    if (core.session.snapshot().status !== 'signed-in') throw new Error('signed out during the refreshes');
    const report: HeapReport = {
      heapAfterSignInMb,
      heapAtMarkMb,
      heapAtEndMb,
      heapAtEndUnsettledMb,
      settleMs,
      rssAtEndMb: process.memoryUsage().rss / MB,
      refreshes: total,
      mark,
      refreshMs,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await core.session.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`heap worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
