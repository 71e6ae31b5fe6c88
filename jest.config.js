// Pure unit tests; integration and browser (e2e) tests that share one real Temporal dev server and
// one PostgreSQL server started by test/global-setup.ts.
const transform = { '^.+\\.ts$': 'ts-jest' };

// NestJS 12, jose and oidc-provider are published as ES modules; Jest can require() them only on Node >= 24.9 started with
// --experimental-vm-modules (vm.SourceTextModule). npm scripts and npx get both (.npmrc, node_modules/.bin/node);
// say so plainly instead of failing every suite that imports Nest with a syntax error.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 24 || (major === 24 && minor < 9) || typeof require('node:vm').SourceTextModule !== 'function') {
  throw new Error(
    `The tests need Node >= 24.9 with --experimental-vm-modules (this is Node ${process.version}, NODE_OPTIONS=` +
      `${process.env.NODE_OPTIONS ?? ''}). Run them through npm or npx (npm test, npx jest ...), which use ` +
      'node_modules/.bin/node and .npmrc, or set both yourself.',
  );
}
// V8's code cache for what Node itself loads (Jest, ts-jest and TypeScript, webpack for the workflow bundle, the
// global setup): compiled once, reused by later runs. Modules inside a test file's sandbox are Jest's to load.
require('node:module').enableCompileCache?.(
  require('node:path').join(require('node:os').tmpdir(), 'exit-pathways-node-compile-cache'),
);
module.exports = {
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.spec.ts'],
      transform,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      // Browser tests (Debian's Chromium through playwright-core) against the real stack and the built web app.
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      displayName: 'record',
      testMatch: ['<rootDir>/test/record/**/*.spec.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
