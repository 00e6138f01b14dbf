// Builds the React renderer into dist/renderer, loaded by the Electron shell from disk (hence `base: './'`).
// No inline script may reach index.html: the shell's CSP is `script-src 'self'` without unsafe-inline.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The preload polyfill is an inline script, which the CSP blocks; Chromium supports modulepreload natively.
    modulePreload: { polyfill: false },
    // Keep the CSS a file (style-src 'self'), never inlined into JS or HTML.
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
