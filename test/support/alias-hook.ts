// Resolves the `@dpb/<lib>` path aliases for code required outside Jest's module registry
// (globalSetup runs in the parent process, where moduleNameMapper does not apply).
import * as path from 'node:path';
import Module from 'node:module';

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

/** `@dpb/<lib>[/sub]` -> `<repoRoot>/libs/<lib>/src[/sub]` (same rule as jest moduleNameMapper); else unchanged. */
export function mapAlias(request: string, repoRoot: string): string {
  const m = /^@dpb\/([a-z-]+)(\/.*)?$/.exec(request);
  return m ? path.join(repoRoot, 'libs', m[1], 'src', m[2] ?? '') : request;
}

/** Patches Node's resolver until the returned function is called. */
export function installAliasHook(repoRoot: string): () => void {
  const mod = Module as unknown as { _resolveFilename: Resolve };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request, parent, isMain, options) {
    return original.call(this, mapAlias(request, repoRoot), parent, isMain, options);
  };
  return () => {
    mod._resolveFilename = original;
  };
}
