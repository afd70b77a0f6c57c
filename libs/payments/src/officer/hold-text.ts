/**
 * Plain-English sentences for hold reasons (payment-rules.md "Holds"), for officers. Pure.
 */
import { HOLD_CODES, type HoldCode } from '../rules';

const LINE_HOLD_TEXT: Record<HoldCode, string> = {
  MODULUS_FAILED: "The payee's bank details failed the modulus check; correct them in the care record before releasing.",
  BACS_RETURN_BLOCK: "A Bacs return blocked the payee's bank details; check them before releasing.",
  BANK_CHANGED: "The payee's bank details changed since their last payment; confirm the change with the payee before releasing.",
  NO_VENDOR: 'The bank payee has no finance vendor number; add one before releasing.',
  FIRST_PAYMENT: "This is the Direct Payment's first payment; check the set-up before releasing.",
  CHANGE_PCT: 'The amount changed by more than the allowed percentage from the previous regular payment.',
  MISSING_FROM_FULL: 'The Direct Payment is missing from the latest full care extract.',
  ONE_OFF_ENDED: 'This one-off payment is for a Direct Payment that has ended.',
  ONE_OFF_DEATH: 'This one-off payment is for a person who has died.',
  DEATH_CASE: 'A DEATH case names this Direct Payment (e.g. a Bacs return gave the payee as deceased; dpbridge cases list --kind DEATH); its payments wait until an officer closes the case.',
  ONE_OFF: 'Every one-off payment is held for an officer (council setting).',
  ENDING_IN_PERIOD: 'The Direct Payment ends inside this period (council setting).',
  RATE_CHANGE: 'This is the first payment after a rate change (council setting).',
};

export interface HoldReasonText {
  code: string;
  text: string;
}

/** A sentence for a line hold code or a run hold reason (`RUN_CHANGE_PCT:<FREQUENCY>`). */
export function holdReasonText(code: string): string {
  if ((HOLD_CODES as readonly string[]).includes(code)) return LINE_HOLD_TEXT[code as HoldCode];
  const run = /^RUN_CHANGE_PCT:([A-Z_]+)$/.exec(code);
  if (run) {
    return `The run's ${run[1].toLowerCase().replace('_', '-')} regular total differs from the previous run's by more than the allowed percentage; no payment files until an officer releases the run.`;
  }
  return `Held for reason ${code}.`;
}

export function describeHolds(codes: readonly string[]): HoldReasonText[] {
  return codes.map((code) => ({ code, text: holdReasonText(code) }));
}
