/**
 * The Tributary server process: configuration → storage → bus → HTTP. Stops cleanly on SIGINT and
 * SIGTERM; a write acknowledged before a crash is already on disk (see storage).
 */
import { ConfigError, loadConfig, type Config } from './config';
import { createServer, VERSION, type TributaryServer } from './createServer';
import { Refusal } from './domain/Refusal';
import { ensureAdmin } from './domain/users';
import { openBackend } from './storage/openBackend';

/**
 * Creates the configured admin unless it exists. Servers sharing a database may start together
 * and race to create it: the one that loses finds it created and carries on.
 */
async function ensureConfiguredAdmin(server: TributaryServer, admin: NonNullable<Config['admin']>) {
  try {
    return await ensureAdmin(server.context, admin);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    if (await server.context.storage.getUser(admin.name)) return false;
    // A name or password the server refuses is a mistake in the environment, not a crash.
    throw new ConfigError(`TRIBUTARY_ADMIN_USER '${admin.name}' cannot be created: ${err.message}`);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const { storage, bus } = await openBackend(config);
  const server = await createServer({ config, storage, bus });
  if (config.admin && (await ensureConfiguredAdmin(server, config.admin))) {
    console.log(`Created the admin user '${config.admin.name}'`);
  }
  const url = await server.listen();
  console.log(
    `Tributary ${VERSION} is serving ${url} (storage: ${config.databaseUrl ? 'PostgreSQL' : config.dataDir})`,
  );
  if ((await storage.count()).users === 0) console.log(`No user yet: open ${url} to create the first admin.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    await server.close();
    await bus.close();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(1);
});
