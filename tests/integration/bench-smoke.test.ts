/**
 * `npm run bench -- --quick` runs to the end: every figure is printed as one JSON line and written
 * to the results file with the machine's description. It checks only that each figure is present
 * and numeric; the targets are the bench's business, not the test suite's (timings here are noisy).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIGURES = [
  'restore_ms',
  'restore_requests',
  'refresh_storm_requests',
  'signin_overhead_ratio',
  'signin_remember_overhead_ratio',
  'renderer_js_gzip_kb',
  'renderer_ttfp_ratio',
  'main_heap_mb',
  'main_heap_growth_mb',
] as const;
const RUN_TIMEOUT_MS = 240_000;

interface FigureLine {
  figure: string;
  median: unknown;
  p10: unknown;
  p90: unknown;
  runs: unknown;
  target: unknown;
  unit: unknown;
}

let dir: string;
let run: { code: number | null; stdout: string; stderr: string };

function runBench(out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // --expose-gc directly, so the bench need not re-spawn itself.
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'bench/run.ts'), '--quick', '--out', out], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bench-smoke-'));
  run = await runBench(path.join(dir, 'results.json'));
}, RUN_TIMEOUT_MS + 10_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function expectFigure(f: FigureLine | undefined, name: string): void {
  expect(f, `${name} is missing`).toBeDefined();
  for (const key of ['median', 'p10', 'p90', 'runs'] as const) {
    expect(typeof f?.[key], `${name}.${key}`).toBe('number');
    expect(Number.isFinite(f?.[key]), `${name}.${key} is finite`).toBe(true);
  }
  expect(typeof f?.target).toBe('string');
  expect(typeof f?.unit).toBe('string');
}

describe('npm run bench -- --quick', () => {
  it('exits 0 and prints every figure as one JSON line', () => {
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const lines = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as FigureLine);
    for (const name of FIGURES) expectFigure(lines.find((l) => l.figure === name), name);
    // Then the table, one row per figure.
    for (const name of FIGURES) expect(run.stdout).toMatch(new RegExp(`^\\| ${name} \\|`, 'm'));
  });

  it('writes the results file with every figure and the machine description', async () => {
    const results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as {
      mode: unknown;
      machine: Record<string, unknown>;
      figures: FigureLine[];
    };
    expect(results.mode).toBe('quick');
    expect(results.machine).toMatchObject({ cpuModel: expect.any(String), cores: expect.any(Number), memoryGb: expect.any(Number), node: process.version });
    for (const name of FIGURES) expectFigure(results.figures.find((f) => f.figure === name), name);
  });
});
