// Builds the Electron side with Vite's environments (one `vite build` builds both, in order):
// - main: electron/platform/electron-main.ts -> dist/main/main.js (ESM, package.json "main"),
//   plus the dev IdP as its own entry, dist/dev-idp/index.js, which resolve-config loads with a
//   dynamic import only in development; electron-builder leaves it out of the package.
// - preload: electron/preload/preload.ts -> dist/preload/preload.cjs. A sandboxed preload cannot be
//   an ES module and can require nothing but `electron`, so it is CommonJS with everything inlined.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const fromRoot = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

const pkg = JSON.parse(readFileSync(fromRoot('./package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
// Packages are loaded from node_modules at run time (electron-builder ships the production ones).
const packages = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
const builtins = new Set(builtinModules);

function isExternal(id: string): boolean {
  if (id === 'electron' || id.startsWith('electron/') || id.startsWith('node:') || builtins.has(id)) return true;
  return packages.some((name) => id === name || id.startsWith(`${name}/`));
}

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  environments: {
    main: {
      consumer: 'server',
      build: {
        outDir: fromRoot('./dist'),
        emptyOutDir: false,
        target: 'node22',
        minify: false,
        sourcemap: true,
        copyPublicDir: false,
        rolldownOptions: {
          input: {
            'main/main': fromRoot('./electron/platform/electron-main.ts'),
            'dev-idp/index': fromRoot('./electron/dev-idp/index.ts'),
          },
          external: isExternal,
          output: {
            format: 'es',
            entryFileNames: '[name].js',
            chunkFileNames: 'main/chunks/[name]-[hash].js',
          },
        },
      },
    },
    preload: {
      consumer: 'server',
      // A server environment leaves packages to node_modules by default; the sandbox has none.
      resolve: { noExternal: true, external: ['electron'] },
      build: {
        outDir: fromRoot('./dist/preload'),
        emptyOutDir: true,
        target: 'chrome140',
        minify: false,
        sourcemap: false,
        copyPublicDir: false,
        rolldownOptions: {
          input: fromRoot('./electron/preload/preload.ts'),
          external: ['electron'],
          output: { format: 'cjs', entryFileNames: 'preload.cjs', codeSplitting: false },
        },
      },
    },
  },
  builder: {
    // Only these two: the implicit `client` environment would look for an index.html.
    async buildApp(builder) {
      for (const name of ['main', 'preload']) {
        const environment = builder.environments[name];
        if (environment === undefined) throw new Error(`vite.electron.config.ts: no "${name}" environment`);
        await builder.build(environment);
      }
    },
  },
});
