/** Many clients posting one datapoint each: throughput and latency (autocannon as the load). */
import autocannon from 'autocannon';
import { addressOf, inClientProcess, request, type BenchServer, type ServerAddress } from './serverProcess';

export interface SinglePostResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export async function singlePosts(
  server: ServerAddress,
  user: string,
  { streams = 100, connections = 64, seconds = 10 } = {},
): Promise<SinglePostResult> {
  const definitions: Record<string, { schema: string }> = {};
  for (let i = 0; i < streams; i++) definitions[`p${i}`] = { schema: '{"type":"number"}' };
  await request(server, 'POST', `crud/${user}/posts`, { streams: definitions });
  const device = (await (await request(server, 'GET', `crud/${user}/posts`)).json()) as { apikey: string };
  const authorization = `Basic ${Buffer.from(`:${device.apikey}`).toString('base64')}`;
  // One request per stream, built once: autocannon cycles each connection through the list. A
  // `setupRequest` callback per request made the load generator the bottleneck (it topped out at
  // about 17k/s against a Node server that answers without doing anything, 37k/s without it).
  const result = await autocannon({
    url: server.url,
    connections,
    duration: seconds,
    requests: Array.from({ length: streams }, (_, i) => ({
      method: 'POST' as const,
      headers: { authorization },
      path: `/api/v1/crud/${user}/posts/p${i}/data`,
      // Without t the server stamps each datapoint, as a sensor posting "now" would.
      body: `[{"d":${i}}]`,
    })),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** `singlePosts` for `seconds` from a client process of its own (see `inClientProcess`). */
export function singlePostsFromClient(
  server: BenchServer,
  user: string,
  seconds: number,
): Promise<SinglePostResult> {
  return inClientProcess('singlePostBench', 'singlePosts', addressOf(server), user, { seconds });
}
