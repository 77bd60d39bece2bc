/** Insert → websocket latency with many subscribers to one stream. */
import WebSocket from 'ws';
import { percentile } from './datasets';
import { addressOf, inClientProcess, request, type BenchServer, type ServerAddress } from './serverProcess';

export interface WebsocketLatencyResult {
  deliveries: number;
  expected: number;
  p50Ms: number;
  p99Ms: number;
}

export async function websocketLatency(
  server: ServerAddress,
  user: string,
  subscribers = 100,
  inserts = 200,
): Promise<WebsocketLatencyResult> {
  await request(server, 'POST', `crud/${user}/user/live`, { schema: '{"type":"number"}' });
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const sockets = await Promise.all(
    Array.from({ length: subscribers }, async () => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/websocket`, {
        headers: { authorization: server.auth },
      });
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      socket.on('message', (raw) => {
        const received = performance.now();
        const message = JSON.parse(String(raw)) as { data: { d: number }[] };
        const sent = sentAt.get(message.data[0]!.d);
        if (sent !== undefined) latencies.push(received - sent);
      });
      socket.send(JSON.stringify({ cmd: 'subscribe', arg: `${user}/user/live`, transform: '' }));
      return socket;
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (let i = 0; i < inserts; i++) {
    sentAt.set(i, performance.now());
    await request(server, 'POST', `crud/${user}/user/live/data`, [{ d: i }]);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const socket of sockets) socket.close();
  return {
    deliveries: latencies.length,
    expected: subscribers * inserts,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** `websocketLatency` from a client process of its own (see `inClientProcess`). */
export function websocketLatencyFromClient(
  server: BenchServer,
  user: string,
  subscribers: number,
  inserts: number,
): Promise<WebsocketLatencyResult> {
  return inClientProcess('websocketBench', 'websocketLatency', addressOf(server), user, subscribers, inserts);
}
