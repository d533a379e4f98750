import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { precompress } from './build/precompress';

// During development, `npm run dev` proxies the API to a locally running backend.
const apiTarget = process.env['BUURTKRACHT_API'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [svelte(), precompress()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    // GraphiQL (React and CodeMirror) is one chunk of about 850 kB, loaded by /graphiql only.
    chunkSizeWarningLimit: 1000,
    rollupOptions: {
      // The app, and GraphiQL for /graphiql (its own page, so the app never loads React).
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        graphiql: fileURLToPath(new URL('./graphiql.html', import.meta.url)),
      },
      // GraphiQL's React components start with "use client", which means nothing here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/graphql': { target: apiTarget, changeOrigin: false },
      '/auth': { target: apiTarget, changeOrigin: false },
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
