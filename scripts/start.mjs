#!/usr/bin/env node
// `npm start`: builds the web app when its sources are newer than the last build, then runs the
// server (TypeScript through tsx). Signals are passed on so Ctrl-C stops the server cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_ENTRY, SERVER_NODE_ARGS } from './serverCommand.mjs';

const WEB_SOURCES = [
  'src/client',
  'src/core',
  'src/sdk',
  'public',
  'index.html',
  'vite.config.ts',
  'package-lock.json',
];
const BUILD_MARKER = 'dist/client/index.html';

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

const builtAt = existsSync(BUILD_MARKER) ? statSync(BUILD_MARKER).mtimeMs : 0;
const changedAt = Math.max(...WEB_SOURCES.map(newestChange));
if (changedAt > builtAt) {
  console.log(
    builtAt === 0 ? 'Building the web app…' : 'The web app changed since the last build; rebuilding…',
  );
  const build = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, [...SERVER_NODE_ARGS, SERVER_ENTRY], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
