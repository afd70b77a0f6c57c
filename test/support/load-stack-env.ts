// Jest setupFiles entry (integration project): loads the test stack's env.json, written by
// global-setup.ts, into process.env of each test worker.
import * as fs from 'node:fs';
import { TEST_ENV_FILE } from './stack-paths';

if (fs.existsSync(TEST_ENV_FILE)) {
  const env = JSON.parse(fs.readFileSync(TEST_ENV_FILE, 'utf8')) as Record<string, string>;
  Object.assign(process.env, env);
}
