/**
 * PipeScript transforms over the API: a script that fails, at parse or at run time, is a 400 with
 * one positioned message and no data, wherever it runs (reads, merges, datasets, posttransforms);
 * a subscription skips the batch its transform fails on, as the original did.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { api, basic, startTestServer, type TestServer } from '../testing/testServer';

type Message = { stream: string; transform?: string; data: { t: number; d: unknown }[] };

describe('transforms that fail', () => {
  let t: TestServer;
  let user: ReturnType<typeof api>;
  const mixed = 'tx/user/mixed';
  const numbers = 'tx/user/numbers';

  beforeAll(async () => {
    t = await startTestServer();
    await api(t.url, basic('test', 'test')).post('crud/tx', { email: 'tx@localhost', password: 'pw' });
    user = api(t.url, basic('tx', 'pw'));
    await user.post(`crud/${mixed}`, { schema: '{"type":["number","string"]}' });
    await user.post(`crud/${numbers}`, { schema: '{"type":"number"}' });
    // Two numbers above 5 before the string, so that a partial answer would have data.
    await user.post(`crud/${mixed}/data`, [
      { t: 1, d: 7 },
      { t: 2, d: 8 },
      { t: 3, d: 'hot' },
      { t: 4, d: 9 },
    ]);
    await user.post(
      `crud/${numbers}/data`,
      [1, 2, 3, 4].map((t) => ({ t, d: t })),
    );
  });
  afterAll(() => t.close());

  /** A 400 error body, exactly `{code, msg, ref}`, whose message has at most one position. */
  function expectRefusal(response: { status: number; json: unknown; text: string }, message: RegExp): string {
    expect(response.status, response.text).toBe(400);
    const body = response.json as { code: number; msg: string; ref: string };
    expect(Object.keys(body).sort()).toEqual(['code', 'msg', 'ref']);
    expect(body.code).toBe(400);
    expect(body.msg).toMatch(message);
    expect((body.msg.match(/at character|at the end|position/g) ?? []).length).toBeLessThanOrEqual(1);
    return body.msg;
  }

  const RUN_ERROR =
    /PipeScript run-time error: Values given to comparison not numerical: 'hot' > 5 \(at character 6, near “if \$ > 5”\)$/;

  it('refuses a read whose transform fails at run time, with no data', async () => {
    const query = `transform=${encodeURIComponent('if $ > 5')}`;
    expectRefusal(await user.get(`crud/${mixed}/data?i1=0&i2=0&${query}`), RUN_ERROR);
    expectRefusal(await user.get(`crud/${mixed}/data?t1=0&limit=1&${query}`), RUN_ERROR);
    // The same read before the string succeeds.
    expect((await user.get(`crud/${mixed}/data?i1=0&i2=2&${query}`)).json).toEqual([
      { t: 1, d: 7 },
      { t: 2, d: 8 },
    ]);
  });

  it('refuses a merge with an element whose transform fails at run time', async () => {
    const response = await user.post('query/merge', [
      { stream: numbers },
      { stream: mixed, transform: 'if $ > 5' },
    ]);
    expectRefusal(response, RUN_ERROR);
  });

  it('refuses a dataset with an element whose transform or interpolator fails at run time', async () => {
    const range = { t1: 0, t2: 5, dt: 1 };
    expectRefusal(
      await user.post('query/dataset', {
        ...range,
        dataset: { a: { stream: mixed, transform: 'if $ > 5' } },
      }),
      RUN_ERROR,
    );
    expectRefusal(
      await user.post('query/dataset', {
        ...range,
        dataset: { a: { stream: mixed, interpolator: 'if $ > 5' } },
      }),
      /^Dataset element 'a': PipeScript run-time error: .*'hot' > 5 \(at character 6, near “if \$ > 5”\)$/,
    );
    expectRefusal(
      await user.post('query/dataset', { ...range, dataset: { a: { stream: mixed, interpolator: 'sum' } } }),
      /^Dataset element 'a': The sum interpolator could not convert "hot" to a number$/,
    );
  });

  it('refuses a dataset whose posttransform fails at run time', async () => {
    const response = await user.post('query/dataset', {
      t1: 0,
      t2: 5,
      dt: 1,
      posttransform: 'if d("a") > 5',
      dataset: { a: { stream: mixed, interpolator: 'before' } },
    });
    expectRefusal(
      response,
      /^posttransform: PipeScript run-time error: .*'hot' > 5 \(at character 11, near “if d\("a"\) > 5”\)$/,
    );
  });

  it('refuses a large dataset that fails only at its last rows before sending any of it', async () => {
    await user.post('crud/tx/user/late', { schema: '{"type":["number","string"]}' });
    await user.post('crud/tx/user/late/data', [
      { t: 1, d: 3 },
      { t: 199_990, d: 'oops' },
    ]);
    const response = await user.post('query/dataset', {
      t1: 0,
      t2: 200_000,
      dt: 1,
      dataset: { a: { stream: 'tx/user/late', interpolator: '$ + 1', allownil: true } },
    });
    expectRefusal(response, /^Dataset element 'a': PipeScript run-time error: .*'oops'/);
    expect(response.headers.get('transfer-encoding')).toBeNull();
  });

  it('shows a syntax error once, 1-based, with a short excerpt, in reads, merges and datasets', async () => {
    const at = /Unexpected character '\.' \(at character 2, near “\$\.key”\)$/;
    const read = expectRefusal(await user.get(`crud/${numbers}/data?i1=0&i2=0&transform=$.key`), at);
    expect(read).toBe("PipeScript syntax error: Unexpected character '.' (at character 2, near “$.key”)");
    expectRefusal(await user.post('query/merge', [{ stream: numbers, transform: '$.key' }]), at);
    const range = { t1: 0, t2: 5, dt: 1 };
    for (const dataset of [
      { ...range, dataset: { a: { stream: numbers, transform: '$.key' } } },
      { ...range, dataset: { a: { stream: numbers, interpolator: '$.key' } } },
      { ...range, posttransform: '$.key', dataset: { a: { stream: numbers } } },
    ]) {
      expectRefusal(await user.post('query/dataset', dataset), at);
    }
  });

  it('does not echo a long script in its error', async () => {
    const script = `${'$ + 1 | '.repeat(900)}$ ! 2`;
    const msg = expectRefusal(
      await user.get(`crud/${numbers}/data?i1=0&i2=0&transform=${encodeURIComponent(script)}`),
      /Unexpected character '!' \(at character 7203, near “…\| \$ \+ 1 \| \$ ! 2”\)$/,
    );
    expect(msg.length).toBeLessThan(120);
  });

  it('reads with a transform of 8,000 characters in the URL', async () => {
    // Each stage adds 0; the script is well within the 8192-character limit but is about 20 KB
    // once URL-encoded, above Node's default 16 KB for the request line and headers.
    const script = `${'$ + 0 | '.repeat(999)}$ + 0`;
    expect(script.length).toBe(7997);
    const response = await user.get(`crud/${numbers}/data?i1=0&i2=0&transform=${encodeURIComponent(script)}`);
    expect(response.status, response.text).toBe(200);
    expect(response.json).toEqual([1, 2, 3, 4].map((n) => ({ t: n, d: n })));
  });

  it('skips the websocket batches a subscription transform fails on, and sends the others', async () => {
    const socket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/api/v1/websocket`, {
      headers: { authorization: basic('tx', 'pw') },
    });
    const messages: Message[] = [];
    socket.on('message', (raw) => messages.push(JSON.parse(String(raw)) as Message));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    // The protocol cannot report a refused subscription; the server logs it, positioned as elsewhere.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    socket.send(JSON.stringify({ cmd: 'subscribe', arg: mixed, transform: '$.key' }));
    socket.send(JSON.stringify({ cmd: 'subscribe', arg: mixed, transform: 'if $ > 5' }));
    socket.send(JSON.stringify({ cmd: 'subscribe', arg: mixed }));
    // A ping round trip: the server has handled the subscriptions.
    await new Promise<void>((resolve) => {
      socket.once('pong', () => resolve());
      socket.ping();
    });
    await new Promise((r) => setTimeout(r, 20));
    const logged = warn.mock.calls.map((args) => args.join(' ')).join('\n');
    warn.mockRestore();
    expect(logged).toContain(
      "PipeScript syntax error: Unexpected character '.' (at character 2, near “$.key”)",
    );

    for (const batch of [['cold'], [6], [10, 'warm', 11], [12]]) {
      await user.put(
        `crud/${mixed}/data`,
        batch.map((d) => ({ d })),
      );
    }
    const deadline = Date.now() + 2000;
    while (messages.length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 150));
    socket.close();

    // Every batch reaches the raw subscription; the transform's batches 1 and 3 fail and send
    // nothing (not even the 10 before the failure); the subscription carries on.
    expect(messages.filter((m) => m.transform === undefined).map((m) => m.data.map((p) => p.d))).toEqual([
      ['cold'],
      [6],
      [10, 'warm', 11],
      [12],
    ]);
    expect(messages.filter((m) => m.transform !== undefined).map((m) => m.data.map((p) => p.d))).toEqual([
      [6],
      [12],
    ]);
  });
});
