/**
 * How the officers' commands print: lines as they are, JSON (pretty, after `prepare`), or one of
 * the two by the command's `--json` option.
 */
export interface CliOutput {
  print(lines: string | string[]): void;
  json(value: unknown): void;
  /** `value` as JSON (through `toJson`) with `--json`, else as `render` writes it. */
  show<T>(asJson: boolean | undefined, value: T, render: (v: T) => string | string[], toJson?: (v: T) => unknown): void;
}

export function cliOutput(deps: { print(line: string): void }, prepare: (value: unknown) => unknown = (v) => v): CliOutput {
  const print = (lines: string | string[]) => (Array.isArray(lines) ? lines : [lines]).forEach((l) => deps.print(l));
  const json = (value: unknown) => deps.print(JSON.stringify(prepare(value), null, 2));
  return {
    print,
    json,
    show: (asJson, value, render, toJson = (v) => v) => (asJson ? json(toJson(value)) : print(render(value))),
  };
}

/** The options several commands share: [flags, description]. */
export const JSON_OPTION = ['--json', 'machine-readable output'] as const;
export const ONE_COUNCIL_OPTION = ['--council <CODE>', 'one council (default: all)'] as const;
