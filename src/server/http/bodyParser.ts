/**
 * Bodies are JSON whatever the Content-Type says: ConnectorDB read the raw body, and its clients
 * rely on that (the JavaScript client posts JSON as `text/plain`; the Python client sends
 * `Content-Type: application/json` on bodiless DELETEs). An empty body is no body.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../domain/Refusal';

/** ConnectorDB's InsertLimitBytes. */
export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export function registerJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => {
      const text = body as string;
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch (err) {
        done(badRequest(`The request body is not valid JSON: ${(err as Error).message}`), undefined);
      }
    },
  );
}
