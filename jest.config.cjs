// Unit specs sit next to the code (src/**/*.spec.ts); e2e specs drive the real app over HTTP and
// Socket.IO against the real database engine (test/e2e/**/*.e2e-spec.ts).
// NestJS 12 ships as ES modules only, so Jest runs in its native ESM mode
// (node --experimental-vm-modules, see package.json) and ts-jest emits ESM.
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    {
      useESM: true,
      tsconfig: 'tsconfig.jest.json',
      // the Swagger CLI plugin, so that the OpenAPI document in tests matches the build's
      astTransformers: { before: ['<rootDir>/test/support/swagger-plugin-transformer.cjs'] },
    },
  ],
};

// Packages published as ESM only but require()d by CommonJS dependencies: Node 20 loads them
// natively (require(esm)), Jest's module runtime cannot, so they are compiled to CommonJS.
const ESM_ONLY_REQUIRED_FROM_CJS = ['content-disposition'];
transform[`/node_modules/(${ESM_ONLY_REQUIRED_FROM_CJS.join('|')})/.+\\.js$`] = [
  'babel-jest',
  { babelrc: false, configFile: false, plugins: ['@babel/plugin-transform-modules-commonjs'] },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  // sources import './x.js' (NodeNext); jest resolves the .ts file
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_REQUIRED_FROM_CJS.join('|')})/)`],
};

/** @type {import('jest').Config} */
module.exports = {
  // global options (Jest ignores them inside a project)
  testTimeout: 60_000,
  slowTestThreshold: 20,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
    },
  ],
};
