// Where the test stack lives. Shared by global set-up/teardown, load-stack-env and specs.
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The test stack's folder (the demo uses .stack/demo). */
export const TEST_STACK_DIR = path.join(REPO_ROOT, '.stack', 'test');
/** Env published for test workers (DATABASE_URL points at TEST_DB_NAME). */
export const TEST_ENV_FILE = path.join(TEST_STACK_DIR, 'env.json');
/** Dropped and recreated on every integration run. */
export const TEST_DB_NAME = 'dpbridge_test';
export const STACK_LIB = path.join(REPO_ROOT, 'scripts', 'stack-lib.mjs');
export const MIGRATE_MODULE = path.join(REPO_ROOT, 'libs', 'persistence', 'src', 'migrate.ts');
/** Held by the Jest process of the integration run in progress (see run-lock.ts). */
export const RUN_LOCK_FILE = path.join(TEST_STACK_DIR, 'run.lock');
