// Lint: typed rules for the whole tree, and the determinism fence around workflows/ (docs/ARCHITECTURE.md,
// "Which way the arrows point").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'libs/domain/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((name) => [
              { name, message: 'Workflow and domain code is deterministic: no Node built-ins.' },
              { name: `node:${name}`, message: 'Workflow and domain code is deterministic: no Node built-ins.' },
            ]),
            { name: 'typeorm', message: 'Workflows never touch the database; use an activity.' },
            { name: 'pg', message: 'Workflows never touch the database; use an activity.' },
            { name: '@temporalio/client', message: 'Workflows use @temporalio/workflow only.' },
            { name: '@temporalio/worker', message: 'Workflows use @temporalio/workflow only.' },
            { name: '@temporalio/activity', message: 'Workflows use @temporalio/workflow only.' },
          ],
          patterns: [
            { group: ['@nestjs/*'], message: 'Workflow and domain code has no framework imports.' },
            {
              group: ['**/persistence/**', '**/libs/temporal/**', '**/apps/**'],
              message: 'Pure code only in workflows.',
            },
            {
              group: ['**/activities', '**/activities/**'],
              message: 'Workflows import activities with `import type` only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The domain is plain TypeScript: time, ids and patch gates reach it through an environment object, so it
    // imports no Temporal package at all (the workflow shell in workflows/ does). Repeats the fence above, since
    // a later block's rule replaces an earlier one's.
    files: ['libs/domain/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((name) => [
            { name, message: 'Domain code is deterministic: no Node built-ins.' },
            { name: `node:${name}`, message: 'Domain code is deterministic: no Node built-ins.' },
          ]),
          patterns: [
            { group: ['@temporalio/*'], message: 'The domain has no Temporal import; workflows/ wraps it.' },
            { group: ['@nestjs/*', 'typeorm', 'pg'], message: 'The domain has no framework or database imports.' },
            {
              group: ['**/persistence/**', '**/libs/temporal/**', '**/apps/**', '**/workflows/**', '**/activities/**'],
              message: 'The domain imports only itself.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
