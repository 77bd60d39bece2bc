import { describe, expect, it } from 'vitest';
import { parseSimulatorArgs, type SimulatorOptions } from './parseSimulatorArgs';

function options(args: string[]): SimulatorOptions {
  const parsed = parseSimulatorArgs(args);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

function error(args: string[]): string {
  const parsed = parseSimulatorArgs(args);
  if (parsed.kind !== 'error') throw new Error(`expected an error, got ${parsed.kind}`);
  return parsed.message;
}

describe('parseSimulatorArgs', () => {
  it('fills the defaults around a password login', () => {
    expect(options(['--user', 'alice', '--password', 'pw'])).toEqual({
      url: 'http://127.0.0.1:3124',
      login: { username: 'alice', password: 'pw' },
      device: 'simulator',
      ignore: new Set(),
      stepSeconds: 1,
      clockOffsetSeconds: 0,
    });
  });

  it('reads every flag', () => {
    const parsed = options([
      '--url=https://home.example/',
      '--user=alice',
      '--password=',
      '--device=lamp2',
      '--ignore=all',
      '--leave-after=5',
      '--step-seconds=0.05',
      '--clock-offset=-3.5',
    ]);
    expect(parsed).toEqual({
      url: 'https://home.example',
      login: { username: 'alice', password: '' },
      device: 'lamp2',
      ignore: new Set(['light', 'thermostat']),
      leaveAfterSeconds: 5,
      stepSeconds: 0.05,
      clockOffsetSeconds: -3.5,
    });
  });

  it('logs in with an API key instead of a password', () => {
    expect(options(['--apikey', 'k-1']).login).toEqual({ apikey: 'k-1' });
    expect(error(['--apikey', 'k-1', '--password', 'pw'])).toMatch(/either --password or --apikey/);
    expect(error(['--apikey', ''])).toMatch(/--apikey is empty/);
    expect(error(['--apikey', 'k-1', '--device', 'x'])).toMatch(/API key already names its device/);
  });

  it('ignores one stream or both', () => {
    expect([...options(['--user', 'a', '--password', 'b', '--ignore', 'light']).ignore]).toEqual(['light']);
    expect([...options(['--user', 'a', '--password', 'b', '--ignore', 'thermostat']).ignore]).toEqual([
      'thermostat',
    ]);
  });

  it('shows help, unless another flag is unknown', () => {
    expect(parseSimulatorArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseSimulatorArgs(['-h', '--user', 'a'])).toEqual({ kind: 'help' });
    expect(parseSimulatorArgs(['-h', '--bogus'])).toMatchObject({ kind: 'error' });
  });

  it.each([
    [[], /--user is required/],
    [['--user', 'a'], /--password is required to log in as a/],
    [['--user', 'a', '--password', 'b', '--url', 'ftp://x'], /--url must be an http/],
    [['--user', 'a', '--password', 'b', '--url', 'not a url'], /--url must be an http/],
    [['--user', 'a', '--password', 'b', '--ignore', 'lamp'], /--ignore takes light, thermostat or all/],
    [
      ['--user', 'a', '--password', 'b', '--step-seconds', '0'],
      /--step-seconds takes a number of seconds above 0/,
    ],
    [['--user', 'a', '--password', 'b', '--step-seconds', 'fast'], /--step-seconds/],
    [['--user', 'a', '--password', 'b', '--leave-after', '-1'], /--leave-after/],
    [['--user', 'a', '--password', 'b', '--leave-after', ''], /--leave-after/],
    [['--user', 'a', '--password', 'b', '--clock-offset', 'x'], /--clock-offset takes a number/],
    [['--user', 'a', '--password', 'b', '--device', 'user'], /--device must be a device name/],
    [['--user', 'a', '--password', 'b', '--device', '9lives'], /--device must be a device name/],
    [['--user', 'a', '--password', 'b', 'extra'], /Unexpected argument 'extra'/],
    [['--user'], /argument missing/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ])('refuses %j with a message', (args, message) => {
    expect(error(args)).toMatch(message);
  });
});
