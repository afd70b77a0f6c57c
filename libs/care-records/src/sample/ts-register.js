/* eslint-disable */
// Kept for the command line in docs/formats/mosaic-export.md; the hook lives in libs/platform.
require('../../../platform/src/ts-register.js');
