/**
 * Writes a datapoint array in the wire format (connectordb-v1.md §1, `datapointsToJson`) as its
 * datapoints are computed, so that a merge or dataset of millions of rows never exists in memory
 * as a whole, nor as one string.
 *
 * Whatever can fail should have failed before: once the first chunk is sent, the status is 200, and
 * a later error can only cut the connection (no final chunk), which every HTTP client reports as an
 * error rather than as a short answer.
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { toWireDatapoint, type Datapoint } from '../../core/model';

/** Characters per chunk written to the socket. */
export const DATAPOINT_CHUNK_CHARS = 64 * 1024;

function* jsonChunks(points: Iterator<Datapoint>, first: string): Generator<string, void, undefined> {
  let chunk = first;
  for (let next = points.next(); !next.done; next = points.next()) {
    chunk += `,${JSON.stringify(toWireDatapoint(next.value))}`;
    if (chunk.length >= DATAPOINT_CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]`;
}

/**
 * Sends the datapoints as a JSON array: in one piece (with a Content-Length) when they fit in one
 * chunk, else chunked, computing each chunk only when the client has taken the previous one.
 */
export function sendDatapointArray(reply: FastifyReply, points: Iterable<Datapoint>): FastifyReply {
  reply.type('application/json; charset=utf-8');
  const iterator = points[Symbol.iterator]();
  let head = '[';
  for (let next = iterator.next(); !next.done; next = iterator.next()) {
    head += `${head.length > 1 ? ',' : ''}${JSON.stringify(toWireDatapoint(next.value))}`;
    if (head.length >= DATAPOINT_CHUNK_CHARS) {
      // Readable.from pulls the generator as the socket drains, and returns it when the client
      // goes away, which stops the computation.
      return reply.send(Readable.from(jsonChunks(iterator, head), { objectMode: false }));
    }
  }
  return reply.send(`${head}]`);
}
