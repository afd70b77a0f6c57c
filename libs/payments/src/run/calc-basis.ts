/**
 * The calc_basis document: a DP's calculation input as a payment run planned with it, stored (per
 * council and basis hash) for `dpbridge explain`. Its terms are the one terms document of the care
 * record (`TermsJson`, as in direct_payment.terms); around them, the DP's own fields the rules need.
 *
 * The basis hash that keys a row is computed by Postgres over the direct_payment row (payment-run.repository.ts,
 * BASIS_HASH_SQL), never over this document: its shape does not decide whether an input changed.
 * Rows stored before the document carried `terms` hold the rules' field names at the top level
 * (`CalcBasisJsonV1`); they still read, to the same input.
 */
import { termsFromJson, termsToJson, type TermsJson } from '@dpb/care-records/terms-json';
import type { Basis, DirectPaymentForCalc, Frequency, FundingStream, SuspensionReason } from '../rules';

export interface CalcBasisJson {
  dpId: string;
  frequency: Frequency;
  basis: Basis;
  fundingStream: FundingStream;
  start: string;
  end: string | null;
  dateOfDeath: string | null;
  terms: TermsJson;
}

/** The document as first stored: the rules' (now the model's) field names with bigints as strings. Read, never written. */
export interface CalcBasisJsonV1 {
  dpId: string;
  frequency: Frequency;
  basis: Basis;
  fundingStream: FundingStream;
  start: string;
  end?: string | null;
  dateOfDeath?: string | null;
  rates?: { from: string; weeklyGrossPence: string }[];
  contributions?: { from: string; weeklyPence: string }[];
  suspensions?: { from: string; to?: string | null; reason: SuspensionReason }[];
  oneOffs?: { id: string; payDate: string; amountPence: string; reason: string }[];
  splits?: { partner: string; from: string; healthBasisPoints: string }[];
}

/** The calc_basis document of a DP's calculation input. */
export function calcToJson(c: DirectPaymentForCalc): CalcBasisJson {
  return {
    dpId: c.dpId,
    frequency: c.frequency,
    basis: c.basis,
    fundingStream: c.fundingStream,
    start: c.start,
    end: c.end,
    dateOfDeath: c.dateOfDeath,
    terms: termsToJson(c),
  };
}

/** A stored calc_basis document, of either shape, back to the rules' type. */
export function calcFromJson(json: unknown): DirectPaymentForCalc {
  const j = json as CalcBasisJson | CalcBasisJsonV1;
  if ('terms' in j) {
    return {
      dpId: j.dpId, frequency: j.frequency, basis: j.basis, fundingStream: j.fundingStream,
      start: j.start, end: j.end, dateOfDeath: j.dateOfDeath, ...termsFromJson(j.terms),
    };
  }
  return {
    dpId: j.dpId,
    frequency: j.frequency,
    basis: j.basis,
    fundingStream: j.fundingStream,
    start: j.start,
    end: j.end ?? null,
    dateOfDeath: j.dateOfDeath ?? null,
    rates: (j.rates ?? []).map((r) => ({ from: r.from, weeklyGrossPence: BigInt(r.weeklyGrossPence) })),
    contributions: (j.contributions ?? []).map((c) => ({ from: c.from, weeklyPence: BigInt(c.weeklyPence) })),
    suspensions: (j.suspensions ?? []).map((s) => ({ from: s.from, to: s.to ?? null, reason: s.reason })),
    oneOffs: (j.oneOffs ?? []).map((o) => ({ id: o.id, payDate: o.payDate, amountPence: BigInt(o.amountPence), reason: o.reason })),
    splits: (j.splits ?? []).map((s) => ({ partner: s.partner, from: s.from, healthBasisPoints: BigInt(s.healthBasisPoints) })),
  };
}
