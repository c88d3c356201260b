import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The bundle ships inside the Python package (served at /app by crm_graph.ui), so
// running crm-graph never needs Node. Every asset, fonts included, is bundled: no CDN.
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../src/crm_graph/static/app', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
  },
  worker: { format: 'es' },
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:8000', ws: true }, '/dev': 'http://127.0.0.1:8000' } },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'], setupFiles: ['src/test-setup.ts'] },
});
