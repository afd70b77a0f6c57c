import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildModulusTables, ModulusTables } from './tables';

/** Version of the tables bundled in libs/care-records/data/modulus. */
export const BUNDLED_MODULUS_VERSION = 'v8.50';

/** Loads `valacdos.txt` and `scsubtab.txt` from a folder (e.g. newer Pay.UK tables from config). */
export function loadModulusTables(dir: string, version = path.basename(dir)): ModulusTables {
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'latin1');
  return buildModulusTables(version, read('valacdos.txt'), read('scsubtab.txt'));
}

function bundledDir(): string {
  const candidates = [
    path.resolve(__dirname, '..', '..', 'data', 'modulus', BUNDLED_MODULUS_VERSION),
    path.resolve(process.cwd(), 'libs', 'care-records', 'data', 'modulus', BUNDLED_MODULUS_VERSION),
  ];
  const dir = candidates.find((c) => fs.existsSync(path.join(c, 'valacdos.txt')));
  if (!dir) throw new Error(`bundled modulus tables ${BUNDLED_MODULUS_VERSION} not found`);
  return dir;
}

let bundled: ModulusTables | undefined;

/** The bundled tables (loaded once, cached). */
export function bundledModulusTables(): ModulusTables {
  bundled ??= loadModulusTables(bundledDir(), BUNDLED_MODULUS_VERSION);
  return bundled;
}
