import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is a static bundle served by the Electron custom protocol or the browser-mode bridge:
// relative asset paths, no inline scripts (strict CSP), no network at run time.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 4000,
    assetsInlineLimit: 0,
  },
});
