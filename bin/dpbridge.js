#!/usr/bin/env node
'use strict';
// The `dpbridge` command (package.json "bin"). Built code lives in dist/ (`npm run build`).
// dpbridge runs on Node 24. `npx dpbridge` and `npm run` already use the project's Node 24 (the
// `node` devDependency in node_modules/.bin); `node bin/dpbridge.js` started by an older system
// Node hands over to it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const path = require('node:path');
  const projectNode = path.join(__dirname, '..', 'node_modules', '.bin', 'node');
  if (!require('node:fs').existsSync(projectNode)) {
    console.error(`dpbridge: needs Node 24 or later (this is ${process.version}); run \`npm ci\` for the project's Node 24`);
    process.exit(2);
  }
  const child = require('node:child_process').spawn(projectNode, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches the child from the terminal itself; a SIGTERM sent to this process is passed on once.
  process.on('SIGINT', () => undefined);
  process.once('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  require('reflect-metadata');
  require('../dist/apps/cli/src/main.js');
}
