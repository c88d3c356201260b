import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * @fontsource's CSS lists a WOFF beside each WOFF2; every browser the app supports takes
 * WOFF2, so only those are bundled (the Simplified Chinese font alone would add 4.6 MB of
 * WOFF). Noto Sans SC arrives as ~100 unicode-range slices: the browser fetches only the
 * slices holding the characters a page shows.
 */
function woff2Only(): Plugin {
  return {
    name: 'crm-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]@fontsource[\\/].*\.css$/.test(id)) return null;
      return { code: code.replace(/,\s*url\([^)]*\.woff\)\s*format\('woff'\)/g, ''), map: null };
    },
  };
}

// The bundle ships inside the Python package (served at /app by crm_graph.ui), so
// running crm-graph never needs Node. Every asset, fonts included, is bundled: no CDN.
export default defineConfig({
  base: '/app/',
  plugins: [woff2Only(), react()],
  build: {
    outDir: fileURLToPath(new URL('../../src/crm_graph/static/app', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    // Fonts are always files (CSP font-src 'self', no data: URIs), even the smallest slices.
    assetsInlineLimit: (file) => (/\.woff2?$/.test(file) ? false : undefined),
    rollupOptions: {
      output: {
        // Noto Sans SC's @font-face rules under a stable name outside assets/ (so served
        // with no-cache, not immutable): the widget's frame links the same stylesheet and
        // slices (/app/fonts/noto-sans-sc.css), and the package carries the font once.
        assetFileNames: (asset) =>
          asset.originalFileNames.some((name) => name.endsWith('@fontsource/noto-sans-sc/400.css'))
            ? 'fonts/noto-sans-sc.css'
            : 'assets/[name]-[hash][extname]',
      },
    },
  },
  worker: { format: 'es' },
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:8000', ws: true }, '/dev': 'http://127.0.0.1:8000' } },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'], setupFiles: ['src/test-setup.ts'] },
});
