import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const serverPort = Number(process.env.PORT ?? 3124);

/** DESIGN.md §7: the JavaScript needed before the first page can render, gzipped. */
const CRITICAL_JS_BUDGET_BYTES = 150 * 1024;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Prints every chunk's gzip size and the critical total — the entry chunk plus everything it
 * imports statically (what the browser must download before anything renders) — and fails the
 * build when that total is over budget. Lazily imported chunks (pages, uPlot) are not critical.
 */
function bundleBudget(): Plugin {
  return {
    name: 'tributary-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [item] : []));
      const gzip = new Map(chunks.map((c) => [c.fileName, gzipSync(c.code, { level: 9 }).length]));
      const critical = new Set<string>();
      const visit = (fileName: string) => {
        if (critical.has(fileName)) return;
        critical.add(fileName);
        const chunk = chunks.find((c) => c.fileName === fileName);
        for (const imported of chunk?.imports ?? []) visit(imported);
      };
      for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);

      const rows = chunks
        .map((c) => ({
          name: c.fileName,
          gzip: gzip.get(c.fileName) ?? 0,
          isCritical: critical.has(c.fileName),
        }))
        .sort((a, b) => Number(b.isCritical) - Number(a.isCritical) || b.gzip - a.gzip);
      const width = Math.max(...rows.map((r) => r.name.length));
      const lines = rows.map(
        (r) => `  ${r.isCritical ? '*' : ' '} ${r.name.padEnd(width)}  ${kb(r.gzip).padStart(9)} gzip`,
      );
      const total = rows.filter((r) => r.isCritical).reduce((sum, r) => sum + r.gzip, 0);
      const css = Object.values(bundle)
        .filter((item) => item.type === 'asset' && item.fileName.endsWith('.css'))
        .reduce((sum, item) => sum + gzipSync(item.type === 'asset' ? item.source : '').length, 0);
      this.info(
        [
          'JavaScript chunks (* = critical: the entry and its static imports)',
          ...lines,
          `Critical JS: ${kb(total)} gzip of ${kb(CRITICAL_JS_BUDGET_BYTES)} budget; all CSS: ${kb(css)} gzip`,
        ].join('\n'),
      );
      if (total > CRITICAL_JS_BUDGET_BYTES) {
        this.error(`Critical JS is ${kb(total)} gzip, over the ${kb(CRITICAL_JS_BUDGET_BYTES)} budget`);
      }
    },
  };
}

/** Tributary's accent (tokens.css): the installed app's title bar and splash screen. */
const THEME_COLOR = '#0f6f8f';

/**
 * The PWA (issue #4): manifest, icons (scripts/generateIcons.ts) and a service worker of our own
 * (`injectManifest`: src/client/pwa/sw.ts) that precaches the app shell and handles Background
 * Sync for the outbox. It is registered by src/client/pwa/registerServiceWorker.ts, which shows
 * the update prompt: a new version waits until the person chooses "Reload".
 */
const pwa = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src/client/pwa',
  filename: 'sw.ts',
  registerType: 'prompt',
  injectRegister: false,
  includeAssets: ['favicon.svg', 'icons/apple-touch-icon-180.png'],
  manifest: {
    id: '/',
    name: 'Tributary',
    short_name: 'Tributary',
    description: 'Your personal data repository: rate, count and note things as they happen, even offline.',
    lang: 'en',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: THEME_COLOR,
    background_color: '#f5f6f8',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    shortcuts: [
      {
        name: 'Rate',
        short_name: 'Rate',
        description: 'Rate, count and note things',
        url: '/?shortcut=rate',
        icons: [{ src: '/icons/shortcut-rate-96.png', sizes: '96x96', type: 'image/png' }],
      },
    ],
  },
  injectManifest: {
    // Every page chunk, so that any route opens offline; no source maps.
    globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
    rollupFormat: 'iife',
  },
  devOptions: { enabled: false },
});

export default defineConfig({
  plugins: [react(), pwa, bundleBudget()],
  publicDir: 'public',
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': { target: `http://127.0.0.1:${serverPort}`, ws: true },
    },
  },
});
