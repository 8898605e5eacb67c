/**
 * Bundles the preload and the IPC contract into one CommonJS script,
 * dist/electron/preload.cjs: a sandboxed preload runs without a module loader
 * (only require('electron') works), so it cannot import the contract file.
 *
 *   npx vite build --config electron/preload.vite.config.ts
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    lib: {
      entry: fileURLToPath(new URL('./preload.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    outDir: fileURLToPath(new URL('../dist/electron', import.meta.url)),
    emptyOutDir: false,
    minify: false,
    sourcemap: false,
    rolldownOptions: { external: ['electron'] },
  },
});
