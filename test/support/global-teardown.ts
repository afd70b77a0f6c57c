// Jest globalTeardown for the `integration` project: stops the services that global-setup
// started in this run (a stack that was already running is left alone), unless
// DPB_KEEP_STACK=1.
import { releaseRunLock } from './run-lock';
import { loadStackLib, type ServiceName } from './stack-lib';
import { RUN_LOCK_FILE, TEST_STACK_DIR } from './stack-paths';

export default async function globalTeardown(): Promise<void> {
  try {
    await stopWhatWeStarted();
  } finally {
    releaseRunLock(RUN_LOCK_FILE);
  }
}

async function stopWhatWeStarted(): Promise<void> {
  const handle = (globalThis as Record<string, unknown>).__DPB_TEST_STACK__ as { started: ServiceName[] } | undefined;
  if (!handle || handle.started.length === 0) return;
  if (process.env.DPB_KEEP_STACK === '1') {
    process.stderr.write(`stack: kept running (DPB_KEEP_STACK=1): ${TEST_STACK_DIR}\n`);
    return;
  }
  const lib = await loadStackLib();
  await lib.stopStack({
    dir: TEST_STACK_DIR,
    only: handle.started,
    log: (line) => process.stderr.write(`stack: ${line}\n`),
  });
}
