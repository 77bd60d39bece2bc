/**
 * The command line of `npm run device`: flags in, typed options (or a message for the person who
 * typed them) out. Never exits or prints, so it is tested as a plain function.
 */
import { parseArgs } from 'node:util';
import { isValidName } from '../core/model';
import type { SimulatedStream } from './simulatorStreams';

/** Who the simulator logs in as. */
export type SimulatorLogin =
  /** The owner's password: the device and streams are created if missing. */
  | { username: string; password: string }
  /** The API key of an existing simulator device: its streams are created if missing. */
  | { apikey: string };

/** What `npm run device` was asked to do. */
export interface SimulatorOptions {
  /** Server origin, e.g. `http://127.0.0.1:3124`. */
  url: string;
  login: SimulatorLogin;
  /** The device to create or use (with a password login). */
  device: string;
  /** Streams whose commands are received but never acknowledged (to demo timeouts). */
  ignore: ReadonlySet<SimulatedStream>;
  /** Disconnect and exit this long after being ready (to demo a device going away). */
  leaveAfterSeconds?: number;
  /** Seconds per one-degree thermostat step. */
  stepSeconds: number;
  /** Added to the device's clock when it stamps thermostat reports (to demo clock skew). */
  clockOffsetSeconds: number;
}

/** The outcome of parsing: run, show help, or refuse with a message. */
export type ParsedSimulatorArgs =
  { kind: 'run'; options: SimulatorOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export const DEFAULT_URL = 'http://127.0.0.1:3124';
export const DEFAULT_DEVICE = 'simulator';

export const SIMULATOR_USAGE = `Usage: npm run device -- --user <name> --password <pw> [options]
       npm run device -- --apikey <key of a simulator device> [options]

Plays a light switch and a thermostat against a Tributary server: creates (if missing) the device
with downlink streams 'light' (boolean) and 'thermostat' (10-30), acknowledges light commands at
once and moves the thermostat one degree per step towards its target, reporting each step.

Options:
  --url <url>             server (default ${DEFAULT_URL})
  --user <name>           the owner's username (or email)
  --password <pw>         the owner's password
  --apikey <key>          log in as an existing simulator device instead
  --device <name>         device to create or use (default ${DEFAULT_DEVICE})
  --ignore <stream>       light, thermostat or all: receive commands, never acknowledge them
  --leave-after <s>       disconnect and exit after this many seconds
  --step-seconds <s>      seconds per thermostat step (default 1)
  --clock-offset <s>      stamp thermostat reports this many seconds off the local clock
  --help                  show this text

Prints 'simulator ready' once subscribed; exits 0 on SIGTERM or SIGINT, 2 on bad flags,
1 when the login is refused or the server refuses to set up the device.`;

const IGNORABLE: Record<string, readonly SimulatedStream[]> = {
  light: ['light'],
  thermostat: ['thermostat'],
  all: ['light', 'thermostat'],
};

/** Parses `process.argv.slice(2)`. */
export function parseSimulatorArgs(args: readonly string[]): ParsedSimulatorArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        apikey: { type: 'string' },
        device: { type: 'string' },
        ignore: { type: 'string' },
        'leave-after': { type: 'string' },
        'step-seconds': { type: 'string' },
        'clock-offset': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // parseArgs explains unknown flags, missing values and stray arguments well enough.
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help) return { kind: 'help' };

  const url = values.url ?? DEFAULT_URL;
  if (!isHttpUrl(url)) return fail(`--url must be an http:// or https:// address, not '${url}'`);

  let login: SimulatorLogin;
  if (values.apikey !== undefined) {
    if (values.password !== undefined) return fail('give either --password or --apikey, not both');
    if (values.apikey === '') return fail('--apikey is empty');
    login = { apikey: values.apikey };
  } else {
    if (!values.user) return fail('--user is required (or --apikey of a simulator device)');
    if (values.password === undefined) return fail(`--password is required to log in as ${values.user}`);
    login = { username: values.user, password: values.password };
  }

  const device = values.device ?? DEFAULT_DEVICE;
  if (!isValidName(device) || device === 'user' || device === 'meta') {
    return fail(`--device must be a device name like 'simulator' (not user or meta), not '${device}'`);
  }
  if (values.device !== undefined && 'apikey' in login) {
    return fail('--device names the device to create with --password; an API key already names its device');
  }

  const ignore = values.ignore === undefined ? [] : IGNORABLE[values.ignore];
  if (!ignore) return fail(`--ignore takes light, thermostat or all, not '${values.ignore}'`);

  const leaveAfter = seconds(values['leave-after'], '--leave-after', { positive: true });
  if (typeof leaveAfter === 'string') return fail(leaveAfter);
  const step = seconds(values['step-seconds'], '--step-seconds', { positive: true, max: 3600 });
  if (typeof step === 'string') return fail(step);
  const offset = seconds(values['clock-offset'], '--clock-offset', { max: 86_400 });
  if (typeof offset === 'string') return fail(offset);

  return {
    kind: 'run',
    options: {
      url: url.replace(/\/+$/, ''),
      login,
      device,
      ignore: new Set(ignore),
      ...(leaveAfter !== undefined && { leaveAfterSeconds: leaveAfter }),
      stepSeconds: step ?? 1,
      clockOffsetSeconds: offset ?? 0,
    },
  };
}

function fail(message: string): ParsedSimulatorArgs {
  return { kind: 'error', message };
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** A number of seconds, or a message saying what is wrong with it. */
function seconds(
  text: string | undefined,
  flag: string,
  rules: { positive?: boolean; max?: number },
): number | undefined | string {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  const max = rules.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isFinite(value) || Math.abs(value) > max || (rules.positive && value <= 0)) {
    const range = rules.positive ? `a number of seconds above 0 (at most ${max})` : 'a number of seconds';
    return `${flag} takes ${range}, not '${text}'`;
  }
  return value;
}
