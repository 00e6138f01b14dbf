import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['./tests/e2e/skip-reasons-reporter.ts']],
  outputDir: 'test-results',
});
