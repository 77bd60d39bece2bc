/**
 * `npm run device`: a light switch and a thermostat for demos and tests (DESIGN.md §5).
 * Exit codes: 0 stopped (SIGTERM, SIGINT, --leave-after), 1 setup refused (login, permissions),
 * 2 bad flags.
 */
import { SetupError } from './ensureSimulatorDevice';
import { parseSimulatorArgs, SIMULATOR_USAGE } from './parseSimulatorArgs';
import { describeError, runSimulator } from './runSimulator';

const EXIT_REFUSED = 1;
const EXIT_USAGE = 2;

const parsed = parseSimulatorArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(SIMULATOR_USAGE);
} else if (parsed.kind === 'error') {
  console.error(`device simulator: ${parsed.message}\nRun with --help for usage.`);
  process.exitCode = EXIT_USAGE;
} else {
  const controller = new AbortController();
  const stop = (): void => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C does not wait for the flush
    controller.abort();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  runSimulator(
    parsed.options,
    { log: (line) => console.log(line), warn: (line) => console.error(line) },
    controller.signal,
  )
    .then(() => finish(0))
    .catch((error: unknown) => {
      const message =
        error instanceof SetupError ? error.message : `unexpected error: ${describeError(error)}`;
      console.error(`device simulator: ${message}`);
      if (!(error instanceof SetupError) && error instanceof Error && error.stack) console.error(error.stack);
      finish(EXIT_REFUSED);
    });
}

/**
 * Exits once the event loop is idle; a keep-alive HTTP socket could otherwise hold the process a
 * few seconds more, so an unref'd timer ends it regardless (stdout to a pipe is synchronous here).
 */
function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 500).unref();
}
