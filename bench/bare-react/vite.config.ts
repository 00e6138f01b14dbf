// The bare React page for the renderer_ttfp_ratio baseline, built exactly as vite.renderer.config.ts
// builds the renderer (same plugin, same build options), into dist/bench-bare.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/bench-bare', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
