/* eslint-disable */
// Kept for the command line in docs/formats/mosaic-export.md; the hook lives in scripts/.
require('../../../../scripts/ts-register.js');
