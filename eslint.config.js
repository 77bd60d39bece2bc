// Lint rules, including the import boundaries between layers (DESIGN.md §3).
// The compiler enforces the same boundaries through one tsconfig per layer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** A restricted-import pattern from a regular expression over the import specifier. */
const forbid = (regex, message) => ({ regex, message });

const layer = (name) => `(^|/)${name}(/|$)`;
const nodeBuiltins = forbid('^node:', 'Node built-ins are server-only.');
const uiLibraries = forbid(
  '^(react|react-dom|react-router|uplot|react-hook-form)(/|$)',
  'UI libraries belong to src/client.',
);
const serverLibraries = forbid(
  '^(fastify|@fastify/.*|ws|better-sqlite3|pg)(/|$)',
  'Server libraries belong to src/server.',
);
const dexieOutsideLocalFirst = forbid('^dexie(/|$)', 'Only src/client/local-first/ imports dexie.');
const zustandOutsideStore = forbid('^zustand(/|$)', 'Only src/client/store/ imports zustand.');
const ajvOutsideSchema = forbid('^ajv', 'Only src/core/schema/ imports ajv.');
const sqlOutsideStorage = forbid('^(better-sqlite3|pg)(/|$)', 'Only src/server/storage/ talks SQL.');

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    ignores: [
      'bench/.cache/**',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'data/**',
      'dev-dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/core/schema/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: restrict(
      forbid(layer('(server|client|sdk|simulator)'), 'core imports nothing of ours.'),
      nodeBuiltins,
      uiLibraries,
      serverLibraries,
      dexieOutsideLocalFirst,
      zustandOutsideStore,
    ),
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/schema/**', '**/*.test.ts', '**/testing/**'],
    rules: restrict(
      forbid(layer('(server|client|sdk|simulator)'), 'core imports nothing of ours.'),
      nodeBuiltins,
      uiLibraries,
      serverLibraries,
      dexieOutsideLocalFirst,
      zustandOutsideStore,
      ajvOutsideSchema,
    ),
  },
  {
    files: ['src/sdk/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: restrict(
      forbid(layer('(server|client|simulator)'), 'sdk imports core only.'),
      nodeBuiltins,
      uiLibraries,
      serverLibraries,
      dexieOutsideLocalFirst,
      zustandOutsideStore,
      ajvOutsideSchema,
    ),
  },
  {
    files: ['src/server/**/*.ts'],
    ignores: ['src/server/storage/**', '**/*.test.ts', '**/testing/**'],
    rules: restrict(
      forbid(layer('(client|sdk|simulator)'), 'server imports core only.'),
      uiLibraries,
      dexieOutsideLocalFirst,
      zustandOutsideStore,
      ajvOutsideSchema,
      sqlOutsideStorage,
    ),
  },
  {
    files: ['src/server/storage/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: restrict(
      forbid(layer('(client|sdk|simulator)'), 'server imports core only.'),
      uiLibraries,
      dexieOutsideLocalFirst,
      zustandOutsideStore,
      ajvOutsideSchema,
    ),
  },
  {
    files: ['src/client/**/*.{ts,tsx}'],
    ignores: [
      'src/client/local-first/**',
      'src/client/store/**',
      '**/*.test.ts',
      '**/*.test.tsx',
      '**/testing/**',
    ],
    rules: restrict(
      forbid(layer('(server|simulator)'), 'client imports core and sdk only.'),
      nodeBuiltins,
      serverLibraries,
      dexieOutsideLocalFirst,
      zustandOutsideStore,
      ajvOutsideSchema,
    ),
  },
  {
    files: ['src/client/local-first/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: restrict(
      forbid(layer('(server|simulator)'), 'client imports core and sdk only.'),
      forbid('^(react|react-dom)(/|$)', 'local-first/ has no React: it is plain TypeScript.'),
      nodeBuiltins,
      serverLibraries,
      zustandOutsideStore,
      ajvOutsideSchema,
    ),
  },
  {
    files: ['src/client/store/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: restrict(
      forbid(layer('(server|simulator)'), 'client imports core and sdk only.'),
      nodeBuiltins,
      serverLibraries,
      dexieOutsideLocalFirst,
      ajvOutsideSchema,
    ),
  },
  {
    files: ['src/simulator/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: restrict(
      forbid(layer('(server|client)'), 'the simulator is a client of the sdk.'),
      uiLibraries,
      dexieOutsideLocalFirst,
      zustandOutsideStore,
      ajvOutsideSchema,
      sqlOutsideStorage,
    ),
  },
  {
    files: ['src/client/**/*.tsx', 'src/client/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'src/server/cli.ts', 'src/server/main.ts', 'src/simulator/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
);
