/**
 * Stable JSON: object keys sorted, bigint as a decimal string, undefined as null. Equal content
 * always gives equal text, so it can be hashed and compared.
 */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export function toCanonical(value: unknown): Json {
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value as Json;
  if (Array.isArray(value)) return value.map(toCanonical);
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(value as object).sort()) out[k] = toCanonical((value as Record<string, unknown>)[k]);
  return out;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(toCanonical(value));
}
