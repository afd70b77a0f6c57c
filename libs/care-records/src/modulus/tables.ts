/** Pay.UK modulus weight table (valacdos) and sort-code substitution table (scsubtab) parsing. */

export type ModulusMethod = 'MOD10' | 'MOD11' | 'DBLAL';

export interface WeightRow {
  /** Sort-code range as integers (inclusive). */
  start: number;
  end: number;
  method: ModulusMethod;
  /** 14 weights for u v w x y z a b c d e f g h. */
  weights: readonly number[];
  exception: number | null;
}

export interface ModulusTables {
  /** Free-text version label, e.g. "v8.50" or a folder name. */
  version: string;
  /** In file order (the order of a sort code's rows decides first/second check). */
  rows: readonly WeightRow[];
  /** scsubtab: original sort code -> substitute (exception 5). */
  substitutions: ReadonlyMap<string, string>;
  /** Row indexes sorted by start, with a running max of `end`, for fast lookups. */
  index: { order: Int32Array; starts: Int32Array; maxEnd: Int32Array };
}

const METHODS = new Set(['MOD10', 'MOD11', 'DBLAL']);

/** Parses a valacdos.txt text (LF or CRLF). Throws with the line number on a malformed row. */
export function parseValacdos(text: string): WeightRow[] {
  const rows: WeightRow[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const parts = line.trim().split(/\s+/);
    if (parts.length === 1 && parts[0] === '') return;
    const bad = () => new Error(`valacdos line ${i + 1}: malformed row`);
    if (parts.length !== 17 && parts.length !== 18) throw bad();
    const [s, e, method, ...rest] = parts;
    if (!/^\d{6}$/.test(s) || !/^\d{6}$/.test(e) || !METHODS.has(method)) throw bad();
    const nums = rest.map((p) => {
      if (!/^-?\d{1,3}$/.test(p)) throw bad();
      return Number(p);
    });
    rows.push({
      start: Number(s),
      end: Number(e),
      method: method as ModulusMethod,
      weights: nums.slice(0, 14),
      exception: nums.length === 15 ? nums[14] : null,
    });
  });
  return rows;
}

/** Parses scsubtab.txt: `original substitute` per line. */
export function parseScsubtab(text: string): Map<string, string> {
  const map = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t) return;
    const m = /^(\d{6})\s+(\d{6})$/.exec(t);
    if (!m) throw new Error(`scsubtab line ${i + 1}: malformed row`);
    map.set(m[1], m[2]);
  });
  return map;
}

export function buildModulusTables(
  version: string,
  valacdosText: string,
  scsubtabText: string,
): ModulusTables {
  const rows = parseValacdos(valacdosText);
  const order = Int32Array.from(rows.keys()).sort((a, b) => rows[a].start - rows[b].start || a - b);
  const starts = new Int32Array(order.length);
  const maxEnd = new Int32Array(order.length);
  let max = -1;
  order.forEach((r, k) => {
    starts[k] = rows[r].start;
    max = Math.max(max, rows[r].end);
    maxEnd[k] = max;
  });
  return { version, rows, substitutions: parseScsubtab(scsubtabText), index: { order, starts, maxEnd } };
}

/** The weight rows covering a sort code, in file order (0, 1 or 2 rows). */
export function rowsForSortCode(tables: ModulusTables, sortCode: string): WeightRow[] {
  const sc = Number(sortCode);
  const { order, starts, maxEnd } = tables.index;
  let lo = 0;
  let hi = starts.length; // first index with start > sc
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= sc) lo = mid + 1;
    else hi = mid;
  }
  const found: number[] = [];
  for (let k = lo - 1; k >= 0 && maxEnd[k] >= sc; k--) {
    if (tables.rows[order[k]].end >= sc) found.push(order[k]);
  }
  return found.sort((a, b) => a - b).map((r) => tables.rows[r]);
}
