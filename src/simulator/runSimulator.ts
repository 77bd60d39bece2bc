/**
 * The simulator's life: set up the device, subscribe to its two downlink substreams with the sdk,
 * answer commands (light at once, thermostat step by step), catch up on commands missed while the
 * socket was down, and shut down cleanly when asked or when `--leave-after` is up.
 */
import WebSocket from 'ws';
import { valuesMatch } from '../core/downlink';
import type { Datapoint } from '../core/model';
import { ApiError, NetworkError, TributaryClient, type ConnectionState } from '../sdk';
import {
  ensureSimulatorDevice,
  ensureSimulatorStreams,
  type SimulatorIdentity,
} from './ensureSimulatorDevice';
import type { SimulatorOptions } from './parseSimulatorArgs';
import { ReportWriter } from './ReportWriter';
import { SIMULATED_STREAMS, THERMOSTAT_START, type SimulatedStream } from './simulatorStreams';
import { Thermostat } from './Thermostat';

/** Where the simulator's lines go: events to `log` (stdout), problems to `warn` (stderr). */
export interface SimulatorIo {
  log(line: string): void;
  warn(line: string): void;
}

/** The line printed once the device listens for commands; tests and demos wait for it. */
export const READY_LINE = 'simulator ready';

/**
 * The server handles a `subscribe` asynchronously and never confirms it, so a command stored in
 * the first moments after the socket opened might be published before the subscription exists.
 * Reading the latest command this long after opening catches such a command.
 */
const SUBSCRIBE_SETTLE_MS = 250;
const SETUP_RETRY_MAX_MS = 30_000;
/** A device should be back within seconds of a server restart, not after the sdk's 30 s cap. */
const RECONNECT_MAX_MS = 5_000;
/** How long pending reports may take to go out on shutdown. */
const SHUTDOWN_FLUSH_MS = 2_000;

const STREAMS = Object.keys(SIMULATED_STREAMS) as SimulatedStream[];

/**
 * Runs until `signal` aborts or `--leave-after` is up. Rejects only when setup is refused
 * (`SetupError`: bad login, no permission) or on an unexpected error; network trouble is retried.
 */
export async function runSimulator(
  options: SimulatorOptions,
  io: SimulatorIo,
  signal: AbortSignal,
): Promise<void> {
  const setup = await untilReachable(options.url, io, signal, () => identify(options, io));
  if (!setup) return;
  const { identity, client } = setup;
  const base = `${identity.user}/${identity.device}`;
  io.log(`acting as device ${base} at ${options.url}`);

  const writer = new ReportWriter({
    insert: (path, point, key) => client.insert(path, [point], { method: 'restamp', idempotencyKey: key }),
    onRetry: (path, error, delayMs) =>
      io.warn(`could not report to ${path} (${describeError(error)}); retrying in ${delayMs / 1000} s`),
  });

  // Read before subscribing: the latest commands now are history, not orders for this run.
  const start = await untilReachable(options.url, io, signal, () => readStartState(client, base));
  if (!start) return;
  const lastHandled = start.latestCommands;
  io.log(`thermostat at ${start.temperature}`);

  const thermostat = new Thermostat({
    temperature: start.temperature,
    stepMs: options.stepSeconds * 1000,
    report: (temperature, target) => {
      io.log(`thermostat ${temperature} (${temperature === target ? 'target reached' : `target ${target}`})`);
      const t = Date.now() / 1000 + options.clockOffsetSeconds;
      void writer.write(`${base}/thermostat`, { t, d: temperature }).then((outcome) => {
        if (outcome.kind === 'refused') io.warn(`thermostat report refused: ${describeError(outcome.error)}`);
      });
    },
  });

  const handleCommand = (stream: SimulatedStream, point: Datapoint): void => {
    // The same command may come over the socket and from a catch-up read: act on it once.
    const last = lastHandled.get(stream);
    if (last && (point.t < last.t || (point.t === last.t && valuesMatch(point.d, last.d)))) return;
    lastHandled.set(stream, point);
    const isIgnored = options.ignore.has(stream);
    const value = JSON.stringify(point.d);
    if (stream === 'light') {
      if (isIgnored) return io.log(`light → ${value} (ignored)`);
      // The acknowledgement echoes the command's timestamp (the Python client's pattern): the
      // server restamps it forward if the stream already holds a later point.
      void writer.write(`${base}/light`, { t: point.t, d: point.d }).then((outcome) => {
        if (outcome.kind === 'stored') io.log(`light → ${value} (acknowledged)`);
        else if (outcome.kind === 'refused')
          io.warn(`light → ${value} (refused: ${describeError(outcome.error)})`);
      });
      return;
    }
    if (typeof point.d !== 'number')
      return io.warn(`thermostat: ignored a target that is not a number: ${value}`);
    io.log(`thermostat ${thermostat.temperature} → target ${value}${isIgnored ? ' (ignored)' : ''}`);
    if (!isIgnored) thermostat.setTarget(point.d);
  };

  const catchUp = async (): Promise<void> => {
    for (const stream of STREAMS) {
      try {
        const [latest] = await client.read(`${base}/${stream}`, { i1: -1 }, { downlink: true });
        if (latest) handleCommand(stream, latest);
      } catch (error) {
        io.warn(`could not read the latest ${stream} command (${describeError(error)})`);
      }
    }
  };

  for (const stream of STREAMS) {
    client.subscribe(`${base}/${stream}/downlink`, (points) => {
      const latest = points[points.length - 1];
      if (latest) handleCommand(stream, latest); // a batch's last value is the one that stands
    });
  }

  let leaveTimer: ReturnType<typeof setTimeout> | undefined;
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  let hasOpened = false;
  let isReady = false;
  let isOpen = false;
  let stopListening = (): void => {};
  const stopped = new Promise<string>((resolve) => {
    if (signal.aborted) resolve('stopped');
    signal.addEventListener('abort', () => resolve('stopped'), { once: true });
    const onOpen = (): void => {
      if (hasOpened) io.log('reconnected');
      hasOpened = true;
      // A drop before the catch-up ran cancels it; the next open runs it (and says ready) instead.
      clearTimeout(settleTimer);
      settleTimer = setTimeout(() => {
        void catchUp().then(() => {
          if (isReady || signal.aborted) return;
          isReady = true;
          io.log(READY_LINE);
          if (options.leaveAfterSeconds !== undefined) {
            const seconds = options.leaveAfterSeconds;
            leaveTimer = setTimeout(() => resolve(`leaving after ${seconds} s`), seconds * 1000);
          }
        });
      }, SUBSCRIBE_SETTLE_MS);
    };
    stopListening = client.onConnectionChange((state: ConnectionState) => {
      if (state === 'open') {
        isOpen = true;
        onOpen();
      } else if (state === 'closed' && isOpen) {
        isOpen = false;
        io.log('connection lost; reconnecting');
      }
    });
    if (client.connectionState === 'open') onOpen();
  });

  const reason = await stopped;
  clearTimeout(leaveTimer);
  clearTimeout(settleTimer);
  thermostat.stop();
  stopListening(); // closing on purpose is not a lost connection
  client.close();
  await writer.flush(SHUTDOWN_FLUSH_MS);
  if (writer.pendingCount > 0) io.warn(`${writer.pendingCount} report(s) not sent`);
  writer.stop();
  io.log(`${reason}: disconnected`);
}

/** Logs in, sets up the device, and returns a client acting as it (socket not yet open). */
async function identify(
  options: SimulatorOptions,
  io: SimulatorIo,
): Promise<{ identity: SimulatorIdentity; client: TributaryClient }> {
  let identity: SimulatorIdentity;
  if ('apikey' in options.login) {
    const deviceClient = new TributaryClient({ url: options.url, credentials: options.login });
    identity = await ensureSimulatorStreams(deviceClient, options.login.apikey, io.log);
  } else {
    const owner = new TributaryClient({ url: options.url, credentials: options.login });
    identity = await ensureSimulatorDevice(owner, options.device, io.log);
  }
  const client = new TributaryClient({
    url: options.url,
    credentials: { apikey: identity.apikey },
    createWebSocket: (url, headers) => new WebSocket(url, { headers }),
    reconnect: { maxDelayMs: RECONNECT_MAX_MS },
    onError: (error) => io.warn(`warning: ${describeError(error)}`),
  });
  return { identity, client };
}

interface StartState {
  temperature: number;
  latestCommands: Map<SimulatedStream, Datapoint>;
}

async function readStartState(client: TributaryClient, base: string): Promise<StartState> {
  const [lastTemperature] = await client.read(`${base}/thermostat`, { i1: -1 });
  const latestCommands = new Map<SimulatedStream, Datapoint>();
  for (const stream of STREAMS) {
    const [latest] = await client.read(`${base}/${stream}`, { i1: -1 }, { downlink: true });
    if (latest) latestCommands.set(stream, latest);
  }
  const temperature = typeof lastTemperature?.d === 'number' ? lastTemperature.d : THERMOSTAT_START;
  return { temperature, latestCommands };
}

/**
 * Runs `attempt` until it succeeds, retrying while the server is unreachable or answers 5xx (a
 * device may start before its server). Undefined when aborted; other errors are thrown.
 */
async function untilReachable<T>(
  url: string,
  io: SimulatorIo,
  signal: AbortSignal,
  attempt: () => Promise<T>,
): Promise<T | undefined> {
  let delayMs = 1_000;
  for (;;) {
    if (signal.aborted) return undefined;
    try {
      return await attempt();
    } catch (error) {
      const isTransient = error instanceof NetworkError || (error instanceof ApiError && error.isRetryable);
      if (!isTransient) throw error;
      io.warn(`server at ${url} not available (${describeError(error)}); retrying in ${delayMs / 1000} s`);
      await sleep(delayMs, signal);
      delayMs = Math.min(delayMs * 2, SETUP_RETRY_MAX_MS);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** One line about an error: the server's message, or the network failure. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.status} ${error.msg}`;
  return error instanceof Error ? error.message : String(error);
}
