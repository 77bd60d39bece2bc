import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const serverPort = Number(process.env.PORT ?? 3124);

/** DESIGN.md §7: the JavaScript the first page needs before it can be used, gzipped. */
const CRITICAL_JS_BUDGET_BYTES = 150 * 1024;

/**
 * What the first page after login loads besides the entry and its static imports: the Insert
 * route (the entry holds it today; listed so that making it lazy again keeps it counted) and the
 * local-first layer (Dexie: the session check opens the outbox and the cache before the page
 * shows). Modules loaded on demand — other pages, uPlot, the schema validator, generated forms,
 * dialogs — are not critical. e2e/bundle.spec.ts checks this against what the browser fetches.
 */
const FIRST_PAGE_MODULES = ['src/client/features/insert/InsertPage.tsx', 'src/client/local-first/index.ts'];

/**
 * Fetched at start but after the first page is up, so not counted (listed in the report for the
 * e2e check): the schema validator (Ajv), once an input is on screen, so that the first value is
 * checked at once and offline too (src/client/features/entry/checkAgainstSchema.ts); and
 * workbox-window, which registers the service worker once the browser is idle (src/client/main.tsx).
 */
const AFTER_FIRST_PAGE_MODULES = ['src/core/schema/streamSchema.ts', 'node_modules/workbox-window/'];

/** Where the build writes the critical chunks and their sizes, for the e2e check (not served). */
const BUDGET_REPORT = 'dist/bundle-budget.json';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Prints every chunk's gzip size and the critical total — the entry chunk, what it imports
 * statically, and the chunks of FIRST_PAGE_MODULES with their static imports (what the browser
 * downloads before the Insert page can be used) — and fails the build when that total is over
 * budget.
 */
function bundleBudget(): Plugin {
  return {
    name: 'tributary-bundle-budget',
    apply: 'build',
    // Once the chunks are final (Vite fills in their preload lists while generating the bundle).
    writeBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [item] : []));
      // The SPA's bundle only; the service worker is built by a second run of this plugin.
      if (!chunks.some((c) => c.isEntry && c.facadeModuleId?.endsWith('index.html'))) return;
      const gzip = new Map(chunks.map((c) => [c.fileName, gzipSync(c.code, { level: 9 }).length]));
      const critical = new Set<string>();
      const visit = (fileName: string) => {
        if (critical.has(fileName)) return;
        critical.add(fileName);
        const chunk = chunks.find((c) => c.fileName === fileName);
        for (const imported of chunk?.imports ?? []) visit(imported);
      };
      for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
      const chunkOf = (pattern: string) => {
        const chunk = chunks.find((c) => c.moduleIds.some((id) => id.includes(pattern)));
        if (!chunk) this.error(`No chunk holds ${pattern} (see FIRST_PAGE_MODULES in vite.config.ts)`);
        return chunk;
      };
      for (const pattern of FIRST_PAGE_MODULES) visit(chunkOf(pattern).fileName);
      const afterFirstPage = AFTER_FIRST_PAGE_MODULES.map((pattern) => chunkOf(pattern).fileName).filter(
        (fileName) => !critical.has(fileName),
      );

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
          'JavaScript chunks (* = critical: the entry, the Insert page and what loads while the session is checked)',
          ...lines,
          `Critical JS: ${kb(total)} gzip of ${kb(CRITICAL_JS_BUDGET_BYTES)} budget; all CSS: ${kb(css)} gzip`,
        ].join('\n'),
      );
      mkdirSync(dirname(BUDGET_REPORT), { recursive: true });
      writeFileSync(
        BUDGET_REPORT,
        `${JSON.stringify(
          {
            budgetBytes: CRITICAL_JS_BUDGET_BYTES,
            criticalBytes: total,
            critical: rows.filter((r) => r.isCritical).map((r) => ({ file: r.name, gzipBytes: r.gzip })),
            afterFirstPage,
          },
          null,
          2,
        )}\n`,
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
  resolve: {
    // Dexie's ES2018 build: every browser with service workers runs it, and it is 1.5 KB gzip
    // smaller than the ES5 one its package points to.
    alias: [
      { find: /^dexie$/, replacement: fileURLToPath(import.meta.resolve('dexie/dist/modern/dexie.mjs')) },
    ],
  },
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Everything the entry imports statically in one chunk (the entry's): it is all needed
        // before the first page anyway, and one file compresses better than twenty.
        codeSplitting: { groups: [{ name: 'index', tags: ['$initial'] }] },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: `http://127.0.0.1:${serverPort}`, ws: true },
    },
  },
});
