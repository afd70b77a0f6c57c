/* eslint-disable */
// How the repository's TypeScript is transpiled when it runs from sources (Jest, the require hook
// in ts-register.js): with the decorator metadata Nest needs. Built code (tsc) does not use it.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
