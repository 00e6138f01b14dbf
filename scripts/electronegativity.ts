/**
 * Runs Doyensec's Electronegativity over the Electron code and fails on any HIGH or MEDIUM finding
 * that electronegativity-allow.json does not list with a written reason. Prints one summary line;
 * on failure, one line per finding before it.
 *
 * It scans the sources in electron/, which is everything dist/main and dist/preload are built from.
 * The bundles themselves are not scanned: Electronegativity 1.10's parser rejects the bundle's
 * class fields, it skips `.cjs` files (the preload), and its whole-app checks (navigation limits,
 * permission handler) judge each folder alone, so a scan of dist/preload reports their absence.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const issueSchema = z.object({
  id: z.string(),
  file: z.string(),
  location: z.object({ line: z.number(), column: z.number() }).partial().optional(),
  description: z.unknown().optional(),
  severity: z.object({ name: z.string() }),
  confidence: z.object({ name: z.string() }),
});
const resultSchema = z.object({ issues: z.array(issueSchema), errors: z.array(z.object({ file: z.string(), message: z.string(), tolerable: z.boolean() })) });
type Issue = z.infer<typeof issueSchema> & { readonly input: string };

const allowSchema = z
  .object({
    $comment: z.string().optional(),
    allow: z.array(
      z
        .object({
          id: z.string().min(1),
          /** Path relative to the project; omitted means every file. */
          file: z.string().min(1).optional(),
          reason: z.string().trim().min(20, 'must explain in a sentence why the finding is acceptable'),
        })
        .strict(),
    ),
  })
  .strict();
type Allowed = z.infer<typeof allowSchema>['allow'][number];

// Looks up current Electron releases over the network: not deterministic, and npm audit covers it.
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const FAILING = new Set(['HIGH', 'MEDIUM']);

type Run = (options: Record<string, unknown>) => Promise<unknown>;

async function scan(run: Run, input: string, electronVersion: string): Promise<{ issues: Issue[]; parseErrors: string[] }> {
  // The library writes progress and translation notices through console; only our line should show.
  const saved = { log: console.log, warn: console.warn, info: console.info };
  console.log = console.warn = console.info = () => undefined;
  try {
    const result = resultSchema.parse(
      await run({ input, electronVersionOverride: electronVersion, isRelative: true, excludeFromScan: EXCLUDED_CHECKS, parserPlugins: [] }),
    );
    const rel = path.relative(root, input);
    return {
      issues: result.issues.map((issue) => ({ ...issue, file: path.join(rel, issue.file), input: rel })),
      parseErrors: result.errors.filter((e) => !e.tolerable).map((e) => `${e.file}: ${e.message}`),
    };
  } finally {
    Object.assign(console, saved);
  }
}

function isAllowed(issue: Issue, allowed: readonly Allowed[]): boolean {
  return allowed.some((a) => a.id === issue.id && (a.file === undefined || path.normalize(a.file) === path.normalize(issue.file)));
}

async function main(): Promise<number> {
  const allowed = allowSchema.parse(JSON.parse(readFileSync(path.join(root, 'electronegativity-allow.json'), 'utf8'))).allow;
  const electronVersion = (JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
  const run = require('@doyensec/electronegativity') as Run;
  const inputs = ['electron'].map((p) => path.join(root, p)).filter((p) => existsSync(p));

  const issues: Issue[] = [];
  const parseErrors: string[] = [];
  for (const input of inputs) {
    const found = await scan(run, input, electronVersion);
    issues.push(...found.issues);
    parseErrors.push(...found.parseErrors);
  }
  const serious = issues.filter((i) => FAILING.has(i.severity.name));
  const blocking = serious.filter((i) => !isAllowed(i, allowed));
  for (const issue of blocking) {
    const where = `${issue.file}:${issue.location?.line ?? 0}:${issue.location?.column ?? 0}`;
    process.stderr.write(`electronegativity: ${issue.severity.name} ${issue.id} at ${where}\n`);
  }
  for (const error of parseErrors) process.stderr.write(`electronegativity: could not parse ${error}\n`);
  const ok = blocking.length === 0 && parseErrors.length === 0;
  process.stdout.write(
    `electronegativity: ${ok ? 'ok' : 'FAILED'}: scanned ${inputs.map((p) => path.relative(root, p)).join(', ')}; ` +
      `${issues.length} findings, ${serious.length} HIGH/MEDIUM, ${serious.length - blocking.length} allowed with a reason, ${blocking.length} not allowed` +
      `${parseErrors.length ? `, ${parseErrors.length} unparsable files` : ''}\n`,
  );
  return ok ? 0 : 1;
}

process.exitCode = await main();
