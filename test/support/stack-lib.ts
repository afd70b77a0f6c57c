// Typed loader for scripts/stack-lib.mjs (plain ESM) from CommonJS test code.
import { pathToFileURL } from 'node:url';
import { STACK_LIB } from './stack-paths';

export type StackEnv = Record<string, string>;
export type ServiceName = 'postgres' | 'redis' | 'sshd';

export interface StartResult {
  dir: string;
  env: StackEnv;
  started: ServiceName[];
  reused: ServiceName[];
  external: ServiceName[];
  state: { postgres?: { port: number }; redis?: { port: number }; sshd?: { port: number } };
}

export interface StackLib {
  startStack(opts?: { dir?: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void; install?: boolean; redisAof?: boolean }): Promise<StartResult>;
  /** Stops one service and starts it again on the same port after downMs (fault trials). */
  restartService(opts: { dir?: string; service: ServiceName; downMs?: number; mode?: 'fast' | 'immediate'; log?: (line: string) => void }): Promise<{ port: number; ms: number }>;
  stopStack(opts?: { dir?: string; log?: (line: string) => void; only?: ServiceName[] }): Promise<{ stopped: ServiceName[] }>;
  stackStatus(opts?: { dir?: string }): Promise<{
    dir: string;
    services: Record<ServiceName, { running: boolean; port?: number; external?: boolean }>;
    env?: StackEnv;
  }>;
  writeEnvFiles(dir: string, env: StackEnv): void;
  withDatabase(url: string, db: string): string;
  pgUrl(user: string, port: number, db: string): string;
  grantSql(db: string, ownerRole?: string, appRole?: string): string[];
  sshFingerprint(publicKeyLine: string): string;
  parseKeygenFingerprint(output: string): string;
  buildEnv(input: {
    databaseUrl: string;
    migrationUrl?: string;
    redisUrl: string;
    sftp: { host: string; port: number; user: string; privateKeyFile: string; fingerprint: string; root: string };
  }): StackEnv;
  envToShell(env: StackEnv): string;
  parseArgs(argv: string[]): { command: 'start' | 'stop' | 'status'; dir: string; json: boolean };
  SFTP_FOLDERS: Readonly<Record<string, string>>;
}

// A real dynamic import: TypeScript/SWC compiled to CommonJS would turn `import()` into
// `require()`, which cannot load an .mjs under Jest's module registry.
const nativeImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

export async function loadStackLib(): Promise<StackLib> {
  return (await nativeImport(pathToFileURL(STACK_LIB).href)) as StackLib;
}
