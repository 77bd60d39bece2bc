/**
 * The web app: files from the Vite build, and `index.html` for every other page route
 * (`/`, `/{user}`, `/{user}/{device}/{stream}`, `/downlinks`, …) so the single-page app can route.
 * Hashed assets are cached forever; the shell and the service worker are revalidated every time.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sendError } from './apiErrors';

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tributary</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Tributary is running</h1><p>The API is at <code>/api/v1</code>. The web app has not been built yet:
run <code>npm run build</code> (or start with <code>npm start</code>, which builds it) and reload.</p></body></html>`;

const NO_CACHE = 'no-cache';

function isPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (request.url.startsWith('/api/') || request.url === '/api') return false;
  const path = request.url.split('?')[0]!;
  // Files have an extension; page routes are names (which cannot contain dots).
  return !/\.[a-zA-Z0-9]+$/.test(path);
}

export async function registerStaticSite(app: FastifyInstance, staticDir: string): Promise<void> {
  const built = existsSync(join(staticDir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: staticDir,
      prefix: '/',
      // `/` is a directory to the plugin: serve the shell for it rather than refusing it.
      index: ['index.html'],
      setHeaders(reply, filePath) {
        const immutable = filePath.startsWith(join(staticDir, 'assets'));
        reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : NO_CACHE);
      },
    });
  }

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    if (isPageRequest(request)) {
      if (!built)
        return reply.type('text/html; charset=utf-8').header('Cache-Control', NO_CACHE).send(NOT_BUILT_PAGE);
      return reply.header('Cache-Control', NO_CACHE).sendFile('index.html');
    }
    return sendError(reply, 404, `Not found: ${request.method} ${request.url.split('?')[0]}`);
  });
}
