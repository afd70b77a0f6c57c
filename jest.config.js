// Two projects: `unit` (pure code, no services) and `integration` (real PostgreSQL, Redis and
// OpenSSH, started once by test/support/global-setup.ts). `npm test` runs both.
const swc = ['@swc/jest', require('./libs/platform/src/swc-options.js')];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@dpb/([a-z-]+)(/.*)?$': '<rootDir>/libs/$1/src$2' },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.stack/'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,scripts}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/load-stack-env.ts'],
    },
  ],
};
