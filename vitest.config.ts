import { configDefaults, defineConfig } from 'vitest/config';

/** Tests that need PostgreSQL, whatever storage the API tests use. */
const postgresOnly = [
  'src/server/storage/postgres/PgStorage.test.ts',
  'src/server/storage/postgres/PgBus.test.ts',
  'src/server/scaleOut.integration.test.ts',
];

// Unit and integration tests (Vitest). End-to-end tests live in e2e/ and run with Playwright.
// Two projects: everything on the embedded SQLite store, then the storage contract, the API tests
// and the scale-out test on PostgreSQL (DATABASE_URL, else a throwaway embedded server).
export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'default',
          include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...postgresOnly],
          // Calendar transforms default to the process time zone; the PipeScript vectors assume UTC.
          env: { TZ: 'UTC' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [...postgresOnly, 'src/server/**/*.integration.test.ts'],
          // The SQLite data directory and CLI as processes; scaleOut covers processes on PostgreSQL.
          exclude: [...configDefaults.exclude, 'src/server/main.integration.test.ts'],
          globalSetup: ['src/server/storage/testing/postgresGlobalSetup.ts'],
          env: { TZ: 'UTC', TRIBUTARY_TEST_STORAGE: 'postgres' },
        },
      },
    ],
  },
});
