import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../bus/Bus';
import { openThrowawayPgStorage, testDatabaseUrl } from '../testing/testDatabase';
import { busChannel, MAX_INLINE_PAYLOAD_BYTES, PgBus } from './PgBus';
import type { PgStorage } from './PgStorage';

/** Resolves with the messages a subscription received once it has `count` of them. */
function collect(bus: PgBus, stream: string, count: number, timeoutMs = 3000) {
  const received: BusMessage[] = [];
  return {
    received,
    done: new Promise<BusMessage[]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`got ${received.length} of ${count} messages`)),
        timeoutMs,
      );
      bus.subscribe(stream, (message) => {
        received.push(message);
        if (received.length === count) {
          clearTimeout(timer);
          resolve(received);
        }
      });
    }),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 200));

describe('PgBus', () => {
  let storage: PgStorage;
  let a: PgBus;
  let b: PgBus;
  const open = () => PgBus.open({ connectionString: testDatabaseUrl(), schema: storage.schema });

  beforeEach(async () => {
    // The storage creates the schema and the bus_payloads table.
    storage = await openThrowawayPgStorage(1);
    a = await open();
    b = await open();
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await storage.close();
  });

  it('delivers to subscribers on another server, in publish order', async () => {
    const remote = collect(b, 'u/d/s', 50);
    for (let i = 0; i < 50; i++) void a.publish({ stream: 'u/d/s', data: [{ t: i, d: i }] });
    expect((await remote.done).map((m) => m.data[0]!.d)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('delivers a publish to local subscribers exactly once, and identical messages each time', async () => {
    const local = collect(a, 'u/d/s', 2);
    const message = { stream: 'u/d/s', data: [{ t: 1, d: 'same' }] };
    await a.publish(message);
    await a.publish(message);
    await local.done;
    await settle();
    expect(local.received).toEqual([message, message]);
  });

  it('passes messages over the NOTIFY size limit by reference', async () => {
    const remote = collect(b, 'u/d/big', 2);
    const big = { stream: 'u/d/big', data: [{ t: 1, d: 'x'.repeat(MAX_INLINE_PAYLOAD_BYTES * 3) }] };
    const small = { stream: 'u/d/big', data: [{ t: 2, d: 'small' }] };
    void a.publish(big);
    void a.publish(small);
    // Order holds even though the large message takes a detour through a table.
    expect(await remote.done).toEqual([big, small]);
  });

  it('keeps servers on different schemas apart', () => {
    expect(busChannel('one')).not.toBe(busChannel('two'));
    expect(busChannel('x'.repeat(63)).length).toBeLessThanOrEqual(63);
  });

  it('listens again after losing its connection', async () => {
    const admin = new pg.Client(testDatabaseUrl());
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`,
        [`LISTEN "${busChannel(storage.schema)}"`],
      );
      expect(killed.rowCount).toBe(2);
      // Messages published while it reconnects are lost; once it listens again they arrive.
      const received: unknown[] = [];
      b.subscribe('u/d/s', (m) => received.push(m.data[0]!.d));
      await expect
        .poll(
          async () => {
            await a.publish({ stream: 'u/d/s', data: [{ t: 1, d: 'after' }] });
            return received.length;
          },
          { timeout: 5000, interval: 100 },
        )
        .toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
  });
});
