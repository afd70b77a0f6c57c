import 'reflect-metadata';
import { Command, Option } from 'commander';
import { runCli } from './commands';

const program = new Command('dpbridge')
  .description('dpbridge: Direct Payments integration middleware')
  .showHelpAfterError();

runCli(program, Option)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    console.error(`dpbridge: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  });
