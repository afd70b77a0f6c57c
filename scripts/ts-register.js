// The TypeScript require hook (libs/platform/src/ts-register.js), at the path repo scripts, tests
// and benches preload: node -r ./scripts/ts-register.js scripts/generate-sample.ts --dps 300
require('../libs/platform/src/ts-register.js');
