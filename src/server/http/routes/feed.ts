/** `/api/v1/feed/u/d/s[.atom]`: an Atom feed of a stream's last 500 datapoints (§2.1). */
import type { FastifyInstance } from 'fastify';
import { readData } from '../../domain/data';
import { compileTransform, runTransform } from '../../domain/transforms';
import { queryParam, type AppContext } from '../requestContext';

const FEED_LENGTH = 500;

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

const isoTime = (t: number) => new Date(t * 1000).toISOString();

export function registerFeedRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { user: string; device: string; stream: string } }>(
    '/api/v1/feed/:user/:device/:stream',
    { config: { failure: 404 } },
    async (request, reply) => {
      const name = { ...request.params, stream: request.params.stream.replace(/\.atom$/, '') };
      const transform = queryParam(request, 'transform');
      const script = transform ? compileTransform(transform) : undefined;
      let points = await readData(
        ctx,
        request.actor,
        name,
        { kind: 'index', i1: -FEED_LENGTH, i2: 0 },
        false,
      );
      if (script) points = runTransform(script, points);
      const path = `${name.user}/${name.device}/${name.stream}`;
      const entries = points
        .slice()
        .reverse()
        .map((p, i) => {
          const value = JSON.stringify(p.d ?? null);
          return `<entry><title>${escapeXml(value.slice(0, 80))}</title><id>urn:tributary:${escapeXml(path)}:${p.t}:${i}</id><updated>${isoTime(p.t)}</updated><content type="text">${escapeXml(value)}</content></entry>`;
        });
      const updated = points.length > 0 ? isoTime(points[points.length - 1]!.t) : new Date(0).toISOString();
      const xml =
        `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">` +
        `<title>${escapeXml(path)}</title><id>urn:tributary:${escapeXml(path)}</id><updated>${updated}</updated>` +
        `<link href="/${escapeXml(path)}"/>${entries.join('')}</feed>`;
      return reply.type('application/atom+xml; charset=utf-8').send(xml);
    },
  );
}
