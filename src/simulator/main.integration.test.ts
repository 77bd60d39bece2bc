/**
 * The simulator as a real child process against a real server: what a demo or an e2e test sees.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  commandStateText,
  deriveCommandStates,
  downlinkTimeoutSeconds,
  initialDownlinkState,
  reduceDownlink,
  type DownlinkState,
} from '../core/downlink';
import type { Datapoint } from '../core/model';
import { TributaryClient } from '../sdk';
import { startTestServer, type TestServer } from '../server/testing/testServer';
import { SqliteStorage } from '../server/storage/sqlite/SqliteStorage';
import { startSimulator, type SimulatorProcess } from './testing/startSimulator';

const PASSWORD = 'secret-pw';
let server: TestServer;
let userCount = 0;
const running: SimulatorProcess[] = [];
const clients: TributaryClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop('SIGKILL')));
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await server?.close();
});

/** A fresh user (so tests do not share devices) and a client acting as its `user` device. */
async function newUser(url = server.url): Promise<{ name: string; client: TributaryClient }> {
  const name = `u${++userCount}x${Date.now() % 100_000}`;
  const admin = new TributaryClient({ url, credentials: { username: 'test', password: 'test' } });
  await admin.createUser(name, { email: `${name}@localhost`, password: PASSWORD });
  const client = new TributaryClient({
    url,
    credentials: { username: name, password: PASSWORD },
    createWebSocket: (u, headers) => new WebSocket(u, { headers }),
    onError: () => {},
  });
  clients.push(client);
  return { name, client };
}

function simulator(args: string[]): SimulatorProcess {
  const sim = startSimulator(args);
  running.push(sim);
  return sim;
}

async function readySimulator(name: string, extra: string[] = [], url = server.url) {
  const sim = simulator(['--url', url, '--user', name, '--password', PASSWORD, ...extra]);
  await sim.waitForLine(/^simulator ready$/);
  return sim;
}

/** Feeds a live subscription pair (commands and reports) into the state machine, in arrival order. */
function watchCommands(client: TributaryClient, path: string, timeoutSeconds: number) {
  let state: DownlinkState = initialDownlinkState({ timeoutSeconds });
  const seen: string[] = [];
  const apply = (type: 'command' | 'report', points: Datapoint[]) => {
    for (const point of points) {
      state = reduceDownlink(state, { type, point, at: Date.now() / 1000 });
      const current = state.commands[0];
      if (current) seen.push(`${commandStateText(current)} ${JSON.stringify(state.reported?.point.d)}`);
    }
  };
  const subscriptions = [
    client.subscribe(`${path}/downlink`, (points) => apply('command', points)),
    client.subscribe(path, (points) => apply('report', points)),
  ];
  const opened = new Promise<void>((resolve) => {
    if (client.connectionState === 'open') resolve();
    const stop = client.onConnectionChange((s) => {
      if (s === 'open') {
        stop();
        resolve();
      }
    });
  });
  return {
    seen,
    get state() {
      return state;
    },
    // The server confirms nothing: give it a moment after opening to register the subscriptions.
    ready: opened.then(() => new Promise((r) => setTimeout(r, 200))),
    close: () => subscriptions.forEach((s) => s.unsubscribe()),
  };
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sendCommand = (client: TributaryClient, path: string, d: unknown) =>
  client.insert(path, [{ d }], { method: 'restamp' });

describe('device simulator', () => {
  it('creates the simulator device with its two downlink streams and prints ready', async () => {
    const { name, client } = await newUser();
    const sim = await readySimulator(name);
    expect(sim.lines).toContain(`created device ${name}/simulator with streams light, thermostat`);

    const device = await client.readDevice(name, 'simulator');
    expect(device.nickname).toBe('Device simulator');
    const streams = Object.fromEntries((await client.listStreams(name, 'simulator')).map((s) => [s.name, s]));
    expect(streams.light).toMatchObject({
      nickname: 'Light',
      datatype: 'boolean',
      downlink: true,
      schema: '{"type":"boolean"}',
    });
    expect(streams.thermostat).toMatchObject({
      nickname: 'Thermostat',
      datatype: 'number.temperature',
      downlink: true,
      downlink_timeout: 30,
    });
    expect(streams.light!.downlink_timeout).toBe(0);
    expect(JSON.parse(streams.thermostat!.schema)).toEqual({ type: 'number', minimum: 10, maximum: 30 });

    // A second run finds everything in place and creates nothing.
    expect(await sim.stop()).toBe(0);
    const again = await readySimulator(name);
    expect(again.lines.filter((l) => l.startsWith('created'))).toEqual([]);
  });

  it('acknowledges a light command within a second, seen live as Requested then Acknowledged', async () => {
    const { name, client } = await newUser();
    const sim = await readySimulator(name);
    const path = `${name}/simulator/light`;
    const watch = watchCommands(client, path, 10);
    await watch.ready;

    const sentAt = Date.now();
    await sendCommand(client, path, true);
    await until(() => (watch.state.commands[0]?.state === 'acknowledged' ? true : undefined));
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(watch.seen).toEqual(['Requested undefined', 'Acknowledged true']);
    expect(watch.state.commands[0]!.command.o).toBe(`${name}/user`);
    await sim.waitForLine('light → true (acknowledged)');
    watch.close();
  });

  it('moves the thermostat one degree per step and reports each step until the target', async () => {
    const { name, client } = await newUser();
    const sim = await readySimulator(name, ['--step-seconds', '0.1']);
    const path = `${name}/simulator/thermostat`;
    const watch = watchCommands(client, path, 10);
    await watch.ready;

    await sendCommand(client, path, 25);
    await until(() => (watch.state.commands[0]?.state === 'acknowledged' ? true : undefined));
    expect(watch.seen).toEqual([
      'Requested undefined',
      'Mismatch 21',
      'Mismatch 22',
      'Mismatch 23',
      'Mismatch 24',
      'Acknowledged 25',
    ]);
    await sim.waitForLine('thermostat 20 → target 25');
    await sim.waitForLine('thermostat 25 (target reached)');

    // The stored data tells the same story when replayed from history.
    const commands = await client.read(path, {}, { downlink: true });
    const reports = await client.read(path, {});
    expect(reports.map((p) => p.d)).toEqual([21, 22, 23, 24, 25]);
    const replay = reports.map((_, n) => {
      const state = deriveCommandStates({
        commands,
        reports: reports.slice(0, n + 1),
        timeoutSeconds: 10,
        now: Date.now() / 1000,
      });
      return commandStateText(state.commands[0]!);
    });
    expect(replay).toEqual(['Mismatch', 'Mismatch', 'Mismatch', 'Mismatch', 'Acknowledged']);
    watch.close();
  });

  it('gives the thermostat time to cross its whole range before a command times out', async () => {
    const { name, client } = await newUser();
    const stepSeconds = 0.2;
    const sim = await readySimulator(name, ['--step-seconds', String(stepSeconds)]);
    const path = `${name}/simulator/thermostat`;
    await sendCommand(client, path, 10);
    await sim.waitForLine('thermostat 10 (target reached)');
    await sendCommand(client, path, 30);
    await sim.waitForLine('thermostat 30 (target reached)');

    const stream = (await client.listStreams(name, 'simulator')).find((s) => s.name === 'thermostat')!;
    expect(downlinkTimeoutSeconds(stream)).toBe(30);
    // Replay the history at the real pace of one degree per second: 20 s from 10 to 30.
    const commands = await client.read(path, {}, { downlink: true });
    const origin = commands[0]!.t;
    const realPace = (points: Datapoint[]) =>
      points.map((p) => ({ ...p, t: origin + (p.t - origin) / stepSeconds }));
    const reports = realPace(await client.read(path, {}));
    const replay = (timeoutSeconds: number) =>
      deriveCommandStates({
        commands: realPace(commands),
        reports,
        timeoutSeconds,
        now: reports[reports.length - 1]!.t + 1,
      }).commands.map((c) => [c.command.d, commandStateText(c)]);
    expect(replay(downlinkTimeoutSeconds(stream))).toEqual([
      [30, 'Acknowledged'],
      [10, 'Acknowledged'],
    ]);
    // With the 10 s default, the climb to 30 would have shown "Timed out" on the way.
    expect(replay(10)[0]).toEqual([30, 'Acknowledged (late)']);
  });

  it('sets the thermostat timeout on a stream an older simulator created, unless the user chose one', async () => {
    const { name, client } = await newUser();
    expect(await (await readySimulator(name)).stop()).toBe(0);
    const thermostat = `${name}/simulator/thermostat`;
    const timeout = async () =>
      (await client.listStreams(name, 'simulator')).find((s) => s.name === 'thermostat')!.downlink_timeout;
    await client.updateStream(thermostat, { downlink_timeout: 0 });
    const again = await readySimulator(name);
    expect(again.lines).toContain(`set the downlink timeout of ${thermostat} to 30 s`);
    expect(await timeout()).toBe(30);
    expect(await again.stop()).toBe(0);

    await client.updateStream(thermostat, { downlink_timeout: 45 });
    const third = await readySimulator(name);
    expect(third.lines.filter((l) => l.includes('downlink timeout'))).toEqual([]);
    expect(await timeout()).toBe(45);
  });

  it('retargets the thermostat mid-way: the first command ends Superseded', async () => {
    const { name, client } = await newUser();
    const sim = await readySimulator(name, ['--step-seconds', '0.2']);
    const path = `${name}/simulator/thermostat`;
    await sendCommand(client, path, 28);
    await sim.waitForLine('thermostat 22 (target 28)');
    await sendCommand(client, path, 21);
    await sim.waitForLine('thermostat 21 (target reached)');

    const state = deriveCommandStates({
      commands: await client.read(path, {}, { downlink: true }),
      reports: await client.read(path, {}),
      timeoutSeconds: 10,
      now: Date.now() / 1000,
    });
    expect(state.commands.map((c) => [c.command.d, commandStateText(c)])).toEqual([
      [21, 'Acknowledged'],
      [28, 'Superseded'],
    ]);
  });

  it('never acknowledges an ignored stream, which then times out', async () => {
    const { name, client } = await newUser();
    const sim = await readySimulator(name, ['--ignore', 'light', '--step-seconds', '0.1']);
    const light = `${name}/simulator/light`;
    await sendCommand(client, light, true);
    await sim.waitForLine('light → true (ignored)');
    // The thermostat still answers, which also shows the light had time to.
    await sendCommand(client, `${name}/simulator/thermostat`, 21);
    await sim.waitForLine('thermostat 21 (target reached)');
    await new Promise((r) => setTimeout(r, 500));
    expect(await client.read(light, {})).toEqual([]);

    const commands = await client.read(light, {}, { downlink: true });
    const state = deriveCommandStates({
      commands,
      reports: [],
      timeoutSeconds: 1,
      now: commands[0]!.t + 1.5,
    });
    expect(commandStateText(state.commands[0]!)).toBe('Timed out');
  });

  it('works with the API key of the simulator device', async () => {
    const { name, client } = await newUser();
    expect(await (await readySimulator(name)).stop()).toBe(0);
    const { apikey } = await client.readDevice(name, 'simulator');
    const sim = simulator(['--url', server.url, '--apikey', apikey]);
    await sim.waitForLine(/^simulator ready$/);
    await sendCommand(client, `${name}/simulator/light`, false);
    await sim.waitForLine('light → false (acknowledged)');
  });

  it('leaves after --leave-after and exits 0', async () => {
    const { name } = await newUser();
    const sim = await readySimulator(name, ['--leave-after', '0.3']);
    expect(await sim.exited).toBe(0);
    expect(sim.lines).toContain('leaving after 0.3 s: disconnected');
  });

  it('exits 0 on SIGTERM and SIGINT', async () => {
    const { name } = await newUser();
    expect(await (await readySimulator(name)).stop('SIGTERM')).toBe(0);
    expect(await (await readySimulator(name)).stop('SIGINT')).toBe(0);
  });

  it('exits 2 with a message on bad flags', async () => {
    const cases: [string[], RegExp][] = [
      [['--user', 'a', '--password', 'b', '--ignore', 'lamp'], /--ignore takes light, thermostat or all/],
      [['--user', 'a', '--password', 'b', '--step-seconds', '0'], /--step-seconds takes a number/],
      [['--user', 'a'], /--password is required/],
      [['--frobnicate'], /Unknown option '--frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const sim = simulator(args);
      expect(await sim.exited, args.join(' ')).toBe(2);
      expect(sim.lines.join('\n')).toMatch(message);
    }
  });

  it('exits 1 with a message when the login is refused', async () => {
    const { name } = await newUser();
    const sim = simulator(['--url', server.url, '--user', name, '--password', 'wrong']);
    expect(await sim.exited).toBe(1);
    expect(sim.lines.join('\n')).toMatch(/login refused/);
  });
});

describe('device simulator across a server restart', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reconnects by itself, delivers the reports it could not write, and still acknowledges', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tributary-simulator-'));
    const filename = join(dir, 'tributary.db');
    let current = await startTestServer({ storage: new SqliteStorage({ filename }) });
    const port = Number(new URL(current.url).port);
    try {
      const { name, client } = await newUser(current.url);
      const sim = await readySimulator(name, ['--step-seconds', '0.2'], current.url);
      const thermostat = `${name}/simulator/thermostat`;

      // The server goes away mid-travel: the steps taken meanwhile are retried, not lost.
      await sendCommand(client, thermostat, 25);
      await sim.waitForLine('thermostat 21 (target 25)');
      await current.close();
      await sim.waitForLine('connection lost; reconnecting');
      await sim.waitForLine(/could not report to .*retrying/);
      current = await startTestServer({ config: { port }, storage: new SqliteStorage({ filename }) });
      await sim.waitForLine('reconnected');

      const reports = await until(async () => {
        const points = await client.read(thermostat, {});
        return points.at(-1)?.d === 25 ? points : undefined;
      });
      expect(reports.map((p) => p.d)).toEqual([21, 22, 23, 24, 25]);

      await sendCommand(client, `${name}/simulator/light`, true);
      await sim.waitForLine('light → true (acknowledged)');
      expect(await client.read(`${name}/simulator/light`, {})).toMatchObject([{ d: true }]);
    } finally {
      await current.close();
    }
  });
});
