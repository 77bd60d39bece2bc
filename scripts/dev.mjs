#!/usr/bin/env node
// `npm run dev`: the API server (restarting on change) and Vite's dev server with hot reload,
// which proxies /api to the server. Open the URL Vite prints.
import { spawn } from 'node:child_process';
import { SERVER_ENTRY, SERVER_NODE_ARGS } from './serverCommand.mjs';

const children = [
  spawn(process.execPath, [...SERVER_NODE_ARGS, '--watch', SERVER_ENTRY], { stdio: 'inherit' }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js'], { stdio: 'inherit' }),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, stop);
for (const child of children) child.on('exit', (code) => (stop(), process.exit(code ?? 0)));
