/**
 * `npm run tributary -- <command>`: administration without the web app. Works on the same
 * database as the server (also while it runs) chosen by TRIBUTARY_DATA or TRIBUTARY_DATABASE_URL.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from './config';
import { NOBODY } from './domain/Actor';
import type { DomainContext } from './domain/DomainContext';
import { Refusal } from './domain/Refusal';
import { createUser, setPasswordTrusted } from './domain/users';
import { openBackend } from './storage/openBackend';

const USAGE = `Usage: npm run tributary -- <command> [options]

Commands:
  adduser <name> --email <email> [--password <pw>] [--admin]   create a user (asks for the password if omitted)
  passwd <name> [--password <pw>]                              set a user's password
  users                                                        list users
  help                                                         show this help

The database is the one the server uses: TRIBUTARY_DATA (default ./data) or TRIBUTARY_DATABASE_URL.`;

async function askPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Refusal('bad_request', 'Give --password (no terminal to ask on)');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
}

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      admin: { type: 'boolean', default: false },
    },
  });
  const [command, name] = positionals;
  if (!command || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }

  // The server's own bus: the meta log entries of these commands reach its websocket subscribers.
  const { storage, bus } = await openBackend(loadConfig());
  const ctx: DomainContext = { storage, bus, now: () => Date.now() / 1000 };
  try {
    switch (command) {
      case 'adduser': {
        if (!name || !values.email) throw new Refusal('bad_request', 'adduser needs a name and --email');
        const password = values.password ?? (await askPassword(`Password for ${name}: `));
        const role = values.admin ? 'admin' : 'user';
        await createUser(ctx, NOBODY, name, { email: values.email, password, role }, { trusted: true });
        console.log(`Created ${role} '${name}'.`);
        return 0;
      }
      case 'passwd': {
        if (!name) throw new Refusal('bad_request', 'passwd needs a user name');
        await setPasswordTrusted(
          ctx,
          name,
          values.password ?? (await askPassword(`New password for ${name}: `)),
        );
        console.log(`Password of '${name}' changed.`);
        return 0;
      }
      case 'users': {
        for (const user of await storage.listUsers())
          console.log(`${user.name}\t${user.role}\t${user.email}`);
        return 0;
      }
      default:
        console.error(`Unknown command '${command}'.\n\n${USAGE}`);
        return 1;
    }
  } finally {
    await bus.close();
    await storage.close();
  }
}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(err instanceof Refusal ? `Error: ${err.message}` : err);
    process.exit(1);
  });
