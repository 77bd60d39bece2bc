/**
 * Bodies are JSON whatever the Content-Type says: ConnectorDB read the raw body, and its clients
 * rely on that (the JavaScript client posts JSON as `text/plain`; the Python client sends
 * `Content-Type: application/json` on bodiless DELETEs). An empty body is no body.
 *
 * Arrays of plain datapoints, the bulk of all traffic, are read straight from the bytes
 * (`parsePointArray`); every other body goes through JSON.parse.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../domain/Refusal';
import { parsePointArray } from './parsePointArray';

/** ConnectorDB's InsertLimitBytes. */
export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export function registerJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => {
      const points = parsePointArray(body as Buffer);
      if (points) return done(null, points);
      const text = (body as Buffer).toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch (err) {
        done(badRequest(`The request body is not valid JSON: ${(err as Error).message}`), undefined);
      }
    },
  );
}
