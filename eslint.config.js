// Layering is enforced here, as VS Code's `local/code-layering` does: a folder may not import
// across its line. Only the Electron platform adapter and the preload may import `electron`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noElectron = {
  name: 'electron',
  message: 'Only electron/platform/electron*.ts and electron/preload/ may import electron (see ARCHITECTURE.md).',
};
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'child_process', 'net', 'url', 'util', 'stream', 'events', 'worker_threads'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [{ group: ['electron/*'], message: noElectron.message }] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='console'][property.name=/^(log|info|debug)$/]",
          message: 'Log through electron/auth/logger.ts, which redacts tokens.',
        },
      ],
    },
  },
  {
    files: ['electron/auth/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, { name: 'react', message: 'The auth core is UI-free.' }],
          patterns: [{ group: ['../main/*', '../platform/*', '../preload/*', '../../renderer/*'], message: 'electron/auth is the bottom layer.' }],
        },
      ],
    },
  },
  {
    files: ['electron/platform/electron*.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltins.filter((n) => !n.includes('*')).map((name) => ({ name, message: 'The renderer has no Node.' }))],
          patterns: [
            { group: ['node:*'], message: 'The renderer has no Node.' },
            { group: ['**/electron/auth/*', '**/electron/main/*', '**/electron/platform/*'], message: 'The renderer talks to main only through window.auth.' },
            { group: ['**/electron/contract*'], allowTypeImports: true, message: 'The renderer imports contract types only (import type).' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '*.config.ts', '*.config.js'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
);
