// Two projects: pure unit tests, and integration tests that share one real Temporal dev server and
// one PostgreSQL server started by test/global-setup.ts.
//
// jose and oidc-provider ship as ES modules only. Node loads them from our CommonJS output natively, but Jest's own
// module loader does not, so Jest compiles just those two packages to CommonJS as it does our TypeScript.
const ESM_ONLY = ['jose', 'oidc-provider'];
const transform = {
  '^.+\\.ts$': 'ts-jest',
  [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
    'ts-jest',
    { isolatedModules: true, tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } },
  ],
};
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`];
module.exports = {
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.spec.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      displayName: 'record',
      testMatch: ['<rootDir>/test/record/**/*.spec.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
