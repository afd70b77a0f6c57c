import type { Command } from 'commander';

/** Officers' commands (holds, runs, explain): being built. */
export function registerOfficerCommands(_program: Command): void {}
