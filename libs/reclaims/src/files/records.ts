/**
 * Record definitions shared by the AR writers and readers: each field is declared once, with how
 * it is written from the model and read back into it, so writer and reader cannot drift apart.
 */
import { parse } from 'csv-parse/sync';
import { decimalToPence, penceText } from '@dpb/payments/files/amounts';
import { parsePercentToBasisPoints } from '@dpb/payments/rules/dp';
import { basisPointsText } from '../rules/health-share';

export class ArFileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ArFileError';
  }
}

export interface FieldDef<T> {
  /** Column heading (CSV) or element name (XML). */
  name: string;
  write(v: T): string;
  read(text: string, into: Partial<T>, where: string): void;
}

type Keys<T, V> = { [K in keyof T]-?: T[K] extends V ? K : never }[keyof T] & string;

/** A text field; `pattern` is checked on both sides. */
export function text<T>(name: string, key: Keys<T, string>, pattern?: RegExp): FieldDef<T> {
  const check = (v: string, where: string) => {
    if (pattern && !pattern.test(v)) throw new ArFileError('INVALID_FIELD', `${where}: ${name} is not valid`);
    return v;
  };
  return {
    name,
    write: (v) => check(v[key] as string, name),
    read: (t, into, where) => {
      (into as Record<string, unknown>)[key] = check(t, where);
    },
  };
}

/** An optional text field: written empty when null. */
export function optionalText<T>(name: string, key: Keys<T, string | null>): FieldDef<T> {
  return {
    name,
    write: (v) => (v[key] as string | null) ?? '',
    read: (t, into) => {
      (into as Record<string, unknown>)[key] = t === '' ? null : t;
    },
  };
}

/** Pence written as a signed decimal with two places (`-32.00`). */
export function money<T>(name: string, key: Keys<T, bigint>): FieldDef<T> {
  return {
    name,
    write: (v) => penceText(v[key] as bigint),
    read: (t, into, where) => {
      (into as Record<string, unknown>)[key] = decimalToPence(t, `${where} ${name}`);
    },
  };
}

/** A percentage held as basis points, written with two decimals (`50.00`). */
export function percent<T>(name: string, key: Keys<T, bigint>): FieldDef<T> {
  return {
    name,
    write: (v) => basisPointsText(v[key] as bigint),
    read: (t, into, where) => {
      try {
        (into as Record<string, unknown>)[key] = parsePercentToBasisPoints(t);
      } catch {
        throw new ArFileError('INVALID_FIELD', `${where}: ${name} is not a percentage`);
      }
    },
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const date = <T>(name: string, key: Keys<T, string>) => text<T>(name, key, DATE);

export function int<T>(name: string, key: Keys<T, number>): FieldDef<T> {
  return {
    name,
    write: (v) => String(v[key] as number),
    read: (t, into, where) => {
      if (!/^\d{1,9}$/.test(t)) throw new ArFileError('INVALID_FIELD', `${where}: ${name} is not a count`);
      (into as Record<string, unknown>)[key] = Number(t);
    },
  };
}

export function flag<T>(name: string, key: Keys<T, boolean>): FieldDef<T> {
  return {
    name,
    write: (v) => ((v[key] as boolean) ? 'Y' : 'N'),
    read: (t, into, where) => {
      if (t !== 'Y' && t !== 'N') throw new ArFileError('INVALID_FIELD', `${where}: ${name} is not Y or N`);
      (into as Record<string, unknown>)[key] = t === 'Y';
    },
  };
}

export const writeFields = <T>(defs: readonly FieldDef<T>[], v: T): string[] => defs.map((d) => d.write(v));

export function readFields<T>(defs: readonly FieldDef<T>[], values: string[], where: string): T {
  if (values.length !== defs.length) throw new ArFileError('FIELD_COUNT', `${where}: expected ${defs.length} fields, found ${values.length}`);
  const into: Partial<T> = {};
  defs.forEach((d, i) => d.read(values[i], into, where));
  return into as T;
}

/** A date written `YYYYMMDD` (SAP style), held `YYYY-MM-DD`. */
export function compactDate<T>(name: string, key: Keys<T, string>): FieldDef<T> {
  return {
    name,
    write: (v) => {
      const d = v[key] as string;
      if (!DATE.test(d)) throw new ArFileError('INVALID_FIELD', `${name} is not a date`);
      return d.replace(/-/g, '');
    },
    read: (t, into, where) => {
      if (!/^\d{8}$/.test(t)) throw new ArFileError('INVALID_FIELD', `${where}: ${name} is not YYYYMMDD`);
      (into as Record<string, unknown>)[key] = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6)}`;
    },
  };
}

/** Every record of an RFC 4180 document (BOM allowed, empty lines skipped), or CSV_NOT_PARSEABLE naming `what`. */
export function csvRecords(content: Buffer | string, what: string): string[][] {
  try {
    return parse(content, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch {
    throw new ArFileError('CSV_NOT_PARSEABLE', `${what} is not RFC 4180 CSV`);
  }
}
