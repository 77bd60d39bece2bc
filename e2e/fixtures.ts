/**
 * Test fixtures: each worker gets its own real server (with an admin), each test its own user on
 * it, so tests never see each other's streams. `api` is that user's sdk client, for setting up data
 * and checking what the server really stored.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { TributaryClient } from '../src/sdk';
import { startServer, type RunningServer } from './server';

export const ADMIN = { name: 'chief', password: 'chief-password' };

export interface Person {
  name: string;
  password: string;
}

interface WorkerFixtures {
  server: RunningServer;
  adminApi: TributaryClient;
}

interface TestFixtures {
  /** A fresh user for this test (role `user`). */
  person: Person;
  /** The sdk logged in as `person`. */
  api: TributaryClient;
  /** Logs `person` in through the login form and waits for the Insert page. */
  logIn: (page?: Page, who?: Person) => Promise<void>;
}

let counter = 0;

export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires an object pattern for fixtures without dependencies
    async ({}, use) => {
      const server = await startServer({ admin: ADMIN });
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  adminApi: [
    async ({ server }, use) => {
      await use(
        new TributaryClient({
          url: server.url,
          credentials: { username: ADMIN.name, password: ADMIN.password },
        }),
      );
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
  person: async ({ adminApi }, use, testInfo) => {
    const name = `p${testInfo.workerIndex}x${++counter}x${Date.now().toString(36)}`;
    const person = { name, password: 'correct horse battery' };
    await adminApi.createUser(name, {
      email: `${name}@example.com`,
      password: person.password,
      role: 'user',
    });
    await use(person);
  },
  api: async ({ server, person }, use) => {
    await use(
      new TributaryClient({
        url: server.url,
        credentials: { username: person.name, password: person.password },
      }),
    );
  },
  logIn: async ({ page, person }, use) => {
    await use(async (target = page, who = person) => {
      await target.goto('/login');
      await target.getByRole('textbox', { name: 'Username' }).fill(who.name);
      await target.getByLabel('Password').fill(who.password);
      await target.getByRole('button', { name: 'Log in' }).click();
      await expect(target.getByRole('heading', { level: 1, name: 'Insert' })).toBeVisible();
    });
  },
});

export { expect };

/** Phone and desktop sizes of the screenshots (the phone is an iPhone 12–15 class screen). */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
