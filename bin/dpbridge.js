#!/usr/bin/env node
'use strict';
// The `dpbridge` command (package.json "bin"). Built code lives in dist/ (`npm run build`).
require('reflect-metadata');
require('../dist/apps/cli/src/main.js');
