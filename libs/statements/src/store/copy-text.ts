import { copyValue } from '@dpb/persistence';

/**
 * PostgreSQL COPY text format: one line per row, tab-separated, `\N` for NULL, and backslash,
 * tab, newline and carriage return escaped in values (so a merchant name can never split a row).
 */
export function copyField(v: string | number | bigint | null): string {
  return copyValue(v);
}

export function copyLine(values: (string | number | bigint | null)[]): string {
  return values.map(copyField).join('\t') + '\n';
}

const CARD_FILE = /^cards_([A-Za-z0-9-]{1,20})_(\d{4})(\d{2})(\d{2})\.csv$/i;

/** Provider (upper-cased) and file date from `cards_<provider>_<YYYYMMDD>.csv`, or null. */
export function cardFileName(name: string): { provider: string; fileDate: string } | null {
  const base = name.split(/[\\/]/).pop() ?? name;
  const m = CARD_FILE.exec(base);
  if (!m) return null;
  return { provider: m[1].toUpperCase(), fileDate: `${m[2]}-${m[3]}-${m[4]}` };
}
