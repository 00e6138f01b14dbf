/**
 * Prints why each skipped test was skipped: the list reporter shows only that it was, and a
 * skipped Electron test must say why (no binary, no display) in the CI log.
 */
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SkipReasonsReporter implements Reporter {
  private readonly lines: string[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return;
    const reason = [...test.annotations, ...result.annotations].find((a) => a.type === 'skip')?.description ?? 'no reason given';
    this.lines.push(`skipped: ${test.titlePath().filter(Boolean).slice(1).join(' > ')}: ${reason}`);
  }

  onEnd(): void {
    for (const line of this.lines) process.stdout.write(`${line}\n`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
