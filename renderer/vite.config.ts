/**
 * Builds the dashboard into dist/renderer, which the agent serves over HTTP and
 * Electron serves from app://idlehive. Both send a CSP without 'unsafe-inline'
 * or data: scripts, so the build must emit nothing inline: no inlined assets,
 * no module-preload polyfill script, CSS as its own file.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  // Relative asset URLs work both at http://127.0.0.1:PORT/ and at app://idlehive/.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: false,
    reportCompressedSize: true,
  },
});
