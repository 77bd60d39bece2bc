/**
 * Logs in and makes sure the simulator device and its two downlink streams exist, returning the
 * device's own API key: only the owning device's writes acknowledge a command (contract §2.5), so
 * the simulator must act as the device, not as the user who created it.
 */
import { valuesMatch } from '../core/downlink';
import type { Stream } from '../core/model';
import { ApiError, type StreamCreate, type TributaryClient } from '../sdk';
import { SIMULATED_STREAMS, SIMULATOR_DEVICE, type SimulatedStream } from './simulatorStreams';

/** The device the simulator acts as. */
export interface SimulatorIdentity {
  user: string;
  device: string;
  apikey: string;
}

/** A refusal the simulator cannot recover from: printed as the message, exit code 1. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

const STREAM_NAMES = Object.keys(SIMULATED_STREAMS) as SimulatedStream[];

/**
 * With the owner's password: creates the device (with both streams) when missing, adds missing
 * streams, and returns the device's key. `report` hears what was created or changed.
 */
export async function ensureSimulatorDevice(
  owner: TributaryClient,
  device: string,
  report: (line: string) => void,
): Promise<SimulatorIdentity> {
  const who = await loggedInAs(owner);
  const user = who.split('/')[0]!;
  let apikey: string | undefined;
  try {
    apikey = (await owner.readDevice(user, device)).apikey;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    const created = await refusedAsSetupError(
      owner.createDevice(user, device, { ...SIMULATOR_DEVICE, streams: { ...SIMULATED_STREAMS } }),
      `could not create device ${user}/${device}`,
    );
    report(`created device ${user}/${device} with streams ${STREAM_NAMES.join(', ')}`);
    apikey = created.apikey;
  }
  await ensureStreams(owner, user, device, report);
  if (!apikey) throw new SetupError(`the server did not show the API key of ${user}/${device}`);
  return { user, device, apikey };
}

/**
 * With the simulator device's own key: checks it is a simulator device, adds missing streams and
 * returns who it is.
 */
export async function ensureSimulatorStreams(
  deviceClient: TributaryClient,
  apikey: string,
  report: (line: string) => void,
): Promise<SimulatorIdentity> {
  const who = await loggedInAs(deviceClient);
  const [user, device] = who.split('/') as [string, string | undefined];
  if (!device || device === 'user' || device === 'meta') {
    // The user device writing its own downlink stream writes the stream itself: no command would
    // ever reach the downlink substream.
    throw new SetupError(
      `this API key belongs to ${who}; give the key of a simulator device, or log in with --user and --password`,
    );
  }
  await ensureStreams(deviceClient, user, device, report);
  return { user, device, apikey };
}

/** The logged-in device path; a 401 becomes a clear "login refused". */
async function loggedInAs(client: TributaryClient): Promise<string> {
  try {
    const who = await client.whoami();
    if (who === 'nobody' || !who.includes('/'))
      throw new SetupError(`login refused (the server says '${who}')`);
    return who;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      throw new SetupError(`login refused: ${error.msg}`);
    throw error;
  }
}

async function ensureStreams(
  client: TributaryClient,
  user: string,
  device: string,
  report: (line: string) => void,
): Promise<void> {
  const existing = new Map<string, Stream>();
  for (const stream of await client.listStreams(user, device)) existing.set(stream.name, stream);
  for (const name of STREAM_NAMES) {
    const path = `${user}/${device}/${name}`;
    const wanted = SIMULATED_STREAMS[name];
    const stream = existing.get(name);
    if (!stream) {
      await refusedAsSetupError(client.createStream(path, wanted), `could not create stream ${path}`);
      report(`created stream ${path}`);
    } else if (!stream.downlink || !sameSchema(stream.schema, wanted.schema)) {
      // The simulator's writes must pass the schema and commands must reach it as downlinks;
      // nickname, icon and the rest stay as the user left them.
      await refusedAsSetupError(
        client.updateStream(path, {
          downlink: true,
          schema: wanted.schema as Record<string, unknown>,
          ...missingTimeout(stream, wanted),
        }),
        `could not make ${path} a downlink stream with the simulator's schema`,
      );
      report(`updated stream ${path} to a downlink stream with the simulator's schema`);
    } else if (Object.keys(missingTimeout(stream, wanted)).length > 0) {
      // A stream created by an older simulator waits the default 10 s; a timeout the user chose stays.
      await refusedAsSetupError(
        client.updateStream(path, missingTimeout(stream, wanted)),
        `could not set the downlink timeout of ${path}`,
      );
      report(`set the downlink timeout of ${path} to ${wanted.downlink_timeout} s`);
    }
  }
}

/** The simulator's downlink timeout, when the stream has the default (0) and the simulator needs more. */
function missingTimeout(stream: Stream, wanted: StreamCreate): Pick<StreamCreate, 'downlink_timeout'> {
  return wanted.downlink_timeout && !stream.downlink_timeout
    ? { downlink_timeout: wanted.downlink_timeout }
    : {};
}

function sameSchema(stored: string, wanted: object): boolean {
  try {
    return valuesMatch(JSON.parse(stored), wanted);
  } catch {
    return false;
  }
}

/** A 4xx refusal is final for setup; network and 5xx errors pass through to be retried. */
async function refusedAsSetupError<T>(request: Promise<T>, what: string): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && !error.isRetryable) throw new SetupError(`${what}: ${error.msg}`);
    throw error;
  }
}
