// Copies each lib's versioned data folder (libs/<lib>/data) next to its compiled code in dist/.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

for (const lib of readdirSync('libs')) {
  const src = join('libs', lib, 'data');
  if (existsSync(src)) cpSync(src, join('dist', 'libs', lib, 'data'), { recursive: true });
}
