// The web app's build: static files in dist/web, served by the API under /app/ (see apps/api/src/web-app.ts).
import { defineConfig } from 'vite';

// Kept free of Node imports so that apps/web/tsconfig.json (browser types) checks it too.
const root = new URL('.', import.meta.url).pathname;
const repo = new URL('../..', import.meta.url).pathname;

export default defineConfig({
  root,
  base: '/app/',
  resolve: {
    alias: {
      // dkfds' package `exports` only lists its JavaScript, so its compiled CSS (with the fonts and icons it refers
      // to) is reached by file path.
      'dkfds-dist': `${repo}node_modules/dkfds/dist`,
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: `${repo}dist/web`,
    emptyOutDir: true,
    // The API's Content-Security-Policy has no font-src, so fonts must be files ('self'), never data: URLs.
    assetsInlineLimit: (file: string) => (/\.(woff2?|ttf|eot)$/.test(file) ? false : undefined),
    sourcemap: false,
    // ECharts (the timeline picture) is one lazily loaded chunk of about 510 kB (170 kB gzip), fetched only when a
    // pathway is opened; the initial JS is measured by `npm run bench:web`.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // React Query marks its modules "use client" for server-component bundlers; in a plain SPA it means nothing.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      checks: { pluginTimings: false },
    },
  },
  server: {
    // `vite --config apps/web/vite.config.ts` beside `npm start`: the API answers the API's paths.
    proxy: Object.fromEntries(
      [
        '/agencies',
        '/tasks',
        '/pathways',
        '/playbooks',
        '/escalations',
        '/notifications',
        '/health',
        // The sign-in settings (issuer, client id) are the API's.
        '/app/config.json',
      ].map((p) => [p, 'http://127.0.0.1:3000']),
    ),
  },
});
