/**
 * The entry point of a benchmark client process (see `inClientProcess`): runs one exported
 * function of a bench module with the arguments it is sent and sends back what it returns.
 */
const message = await new Promise<{ module: string; name: string; args: unknown[] }>((resolve) =>
  process.once('message', resolve),
);
const bench = (await import(`./${message.module}.ts`)) as Record<string, (...args: unknown[]) => unknown>;
let reply: { result?: unknown; error?: string };
try {
  reply = { result: await bench[message.name]!(...message.args) };
} catch (err) {
  reply = { error: err instanceof Error ? err.message : String(err) };
}
// Kept-alive connections would hold the process open: it exits once the reply is sent.
process.send!(reply, () => process.exit(0));

export {};
