/**
 * Runs `npm run device` as a real child process for tests (Vitest here, Playwright in e2e/):
 * collects its lines, waits for one, and stops it the way a person or a supervisor would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A running simulator. */
export interface SimulatorProcess {
  readonly child: ChildProcess;
  /** Every line so far, stdout and stderr interleaved as they arrived. */
  readonly lines: readonly string[];
  /** Resolves with the first line (seen so far or later) matching; rejects after `timeoutMs`. */
  waitForLine(match: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or 128 + signal number when killed). */
  readonly exited: Promise<number>;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** Starts `node --import tsx src/simulator/main.ts ...args`. */
export function startSimulator(args: readonly string[]): SimulatorProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (stream: NodeJS.ReadableStream): void => {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts);
      for (const wake of [...waiters]) wake();
    });
    stream.on('end', () => {
      if (buffer) lines.push(buffer);
      buffer = '';
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  let hasExited = false;
  // 'close', not 'exit': it comes after the last output has been read.
  const exited = new Promise<number>((resolve) => {
    child.on('close', (code, signal) => {
      hasExited = true;
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15));
      for (const wake of [...waiters]) wake();
    });
  });

  const matches = (line: string, match: string | RegExp) =>
    typeof match === 'string' ? line.includes(match) : match.test(line);

  return {
    child,
    lines,
    exited,
    waitForLine(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = lines.find((line) => matches(line, match));
          if (found === undefined && !hasExited) return false;
          waiters.delete(check);
          clearTimeout(timer);
          if (found !== undefined) resolve(found);
          else reject(new Error(`simulator exited without printing ${String(match)}:\n${lines.join('\n')}`));
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no line ${String(match)} within ${timeoutMs} ms:\n${lines.join('\n')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (!hasExited) child.kill(signal);
      return exited;
    },
  };
}
