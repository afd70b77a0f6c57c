import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

export type CopyValue = string | number | bigint | boolean | null | readonly string[] | object;

const ESCAPE = /[\\\t\n\r]/g;
const ESCAPE_TEST = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** JSON text of an object; bigints as decimal strings (a replacer only when there is one: it is slow). */
function jsonText(v: object): string {
  try {
    return JSON.stringify(v);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  }
}

/** One value in PostgreSQL's COPY text format (NULL as \N; arrays of simple text; objects as JSON). */
export function copyValue(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'bigint' || typeof v === 'number') return v.toString();
  else if (typeof v === 'boolean') return v ? 't' : 'f';
  else if (Array.isArray(v)) s = `{${v.map((x: string) => `"${x.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
  else s = jsonText(v);
  return ESCAPE_TEST.test(s) ? s.replace(ESCAPE, (c) => ESCAPES[c]) : s;
}

/** The pg client behind the caller's transaction (COPY cannot go through the pool). */
export function transactionClient(m: EntityManager): ClientBase {
  const qr = m.queryRunner as unknown as { databaseConnection?: ClientBase } | undefined;
  if (!qr?.databaseConnection) throw new Error('COPY needs the transaction’s own connection (run inside ds.transaction)');
  return qr.databaseConnection;
}

/**
 * Bulk-loads rows with COPY ... FROM STDIN on the transaction's own connection: the rows commit or
 * roll back with everything else the transaction wrote.
 */
export async function copyRows(m: EntityManager, table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<number> {
  let count = 0;
  function* text(): Generator<string> {
    let chunk = '';
    for (const r of rows) {
      let line = copyValue(r[0]);
      for (let i = 1; i < r.length; i++) line += `\t${copyValue(r[i])}`;
      chunk += `${line}\n`;
      count++;
      if (chunk.length > 256 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  const stream = transactionClient(m).query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(text()), stream);
  return count;
}
