/* eslint-disable */
// A TypeScript require hook for running from sources without a build: repo scripts and test child
// processes preload it (node -r ./scripts/ts-register.js scripts/generate-sample.ts --dps 300),
// and a worker thread started from sources loads it first (payments' checked-files.ts). Transpiles
// .ts with @swc/core (a dev dependency: never loaded by built code), with the decorator metadata
// Nest needs, and resolves the @dpb/<lib> path aliases.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');
const swcOptions = require('./swc-options.js');

const root = path.resolve(__dirname, '../../..');
const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@dpb\/([a-z-]+)(\/.*)?$/.exec(request);
  if (m) request = path.join(root, 'libs', m[1], 'src', m[2] || '');
  return origResolve.call(this, request, parent, ...rest);
};
require.extensions['.ts'] = function (module, filename) {
  const src = fs.readFileSync(filename, 'utf8');
  const out = swc.transformSync(src, { ...swcOptions, filename });
  module._compile(out.code, filename);
};
