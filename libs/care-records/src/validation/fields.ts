/** Field-level checks. Each returns a rule name on failure, or null. Never echoes values. */
import { isCivilDate, parsePounds } from '@dpb/common';
import { Rule } from './errors';

export const ID = /^[A-Za-z0-9_-]{1,32}$/;
const MONEY = /^\d{1,13}(\.\d{1,2})?$/;
const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;
const COUNT = /^\d{1,9}$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Max lengths: codes/references and free text. */
export const CODE_MAX = 64;
export const TEXT_MAX = 200;

export function idRule(v: string): Rule | null {
  if (v === '') return 'required';
  return ID.test(v) ? null : 'id-format';
}

export function dateRule(v: string, required: boolean): Rule | null {
  if (v === '') return required ? 'required' : null;
  return isCivilDate(v) ? null : 'date-format';
}

export function moneyRule(v: string): Rule | null {
  if (v === '') return 'required';
  return MONEY.test(v) ? null : 'money-format';
}

/** Decimal pounds -> pence (call only after moneyRule passed). */
export function toPence(v: string): bigint {
  return parsePounds(v);
}

export function percentRule(v: string): Rule | null {
  if (v === '') return 'required';
  if (!PERCENT.test(v)) return 'percent-format';
  return parsePounds(v) <= 10000n ? null : 'percent-format';
}

export function countRule(v: string): Rule | null {
  if (v === '') return 'required';
  return COUNT.test(v) ? null : 'count-format';
}

export function enumRule(v: string, allowed: readonly string[], required = true): Rule | null {
  if (v === '') return required ? 'required' : null;
  return allowed.includes(v) ? null : 'enum';
}

export function textRule(v: string, required: boolean, max = TEXT_MAX): Rule | null {
  if (v === '') return required ? 'required' : null;
  if (v.length > max) return 'max-length';
  return v.includes('\u0000') ? 'control-character' : null;
}

/**
 * Validates an ISO 8601 instant with an explicit zone and returns it normalised to UTC ISO
 * (`toISOString`), or null when invalid. No clock involved.
 */
export function normaliseInstant(v: string): string | null {
  const m = INSTANT.exec(v);
  if (!m) return null;
  const [, date, hh, mm, ss, , zone, sign, oh, om] = m;
  if (!isCivilDate(date) || +hh > 23 || +mm > 59 || +ss > 59) return null;
  if (zone !== 'Z' && (+oh > 23 || +om > 59)) return null;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return null;
  void sign;
  // A fixed instant, not the clock.
  return new Date(ms).toISOString();
}
