/**
 * A DP's terms as stored (`direct_payment.terms`, jsonb): the one type of that document and its
 * codec. The import writes it (`termsJsonText`, straight to COPY text), the payment run's load
 * reads it (payments' `calcFromTerms`), both through `TermsJson`. Amounts are integer pence and
 * percentages basis points, as decimal strings (JSON numbers would lose bigints).
 *
 * The document keeps the keys it was first stored with (`weeklyGross`, `weekly`, `amount`,
 * `healthPctBp`: rows and calc_basis documents already hold them); the codec maps them to and
 * from the model's unit-bearing names (`weeklyGrossPence`, `weeklyPence`, `amountPence`,
 * `healthBasisPoints`), which the payment rules read as they are.
 */
import type { CivilDate } from '@dpb/common';
import type { Contribution, DirectPayment, OneOff, Rate, Split, Suspension, SuspensionReason } from './model';

export interface TermsJson {
  rates: { from: CivilDate; weeklyGross: string }[];
  contributions: { from: CivilDate; weekly: string }[];
  suspensions: { from: CivilDate; to: CivilDate | null; reason: SuspensionReason }[];
  oneOffs: { id: string; payDate: CivilDate; amount: string; reason: string }[];
  splits: { partner: string; from: CivilDate; healthPctBp: string }[];
}

/** The effective-dated terms of a DP in the canonical model. */
export type DpTerms = Pick<DirectPayment, 'rates' | 'contributions' | 'suspensions' | 'oneOffs' | 'splits'>;

export function termsToJson(dp: DpTerms): TermsJson {
  return {
    rates: dp.rates.map((r) => ({ from: r.from, weeklyGross: r.weeklyGrossPence.toString() })),
    contributions: dp.contributions.map((c) => ({ from: c.from, weekly: c.weeklyPence.toString() })),
    suspensions: dp.suspensions.map((s) => ({ from: s.from, to: s.to, reason: s.reason })),
    oneOffs: dp.oneOffs.map((o) => ({ id: o.id, payDate: o.payDate, amount: o.amountPence.toString(), reason: o.reason })),
    splits: dp.splits.map((s) => ({ partner: s.partner, from: s.from, healthPctBp: s.healthBasisPoints.toString() })),
  };
}

/** One entry of each list of the document to the model's entry (readers of part of a document use these). */
export const rateFromJson = (r: TermsJson['rates'][number]): Rate => ({ from: r.from, weeklyGrossPence: BigInt(r.weeklyGross) });
export const contributionFromJson = (c: TermsJson['contributions'][number]): Contribution => ({ from: c.from, weeklyPence: BigInt(c.weekly) });
export const suspensionFromJson = (s: TermsJson['suspensions'][number]): Suspension => ({ from: s.from, to: s.to, reason: s.reason });
export const oneOffFromJson = (o: TermsJson['oneOffs'][number]): OneOff => ({ id: o.id, payDate: o.payDate, amountPence: BigInt(o.amount), reason: o.reason });
export const splitFromJson = (s: TermsJson['splits'][number]): Split => ({ partner: s.partner, from: s.from, healthBasisPoints: BigInt(s.healthPctBp) });

export function termsFromJson(j: TermsJson): DpTerms {
  return {
    rates: j.rates.map(rateFromJson),
    contributions: j.contributions.map(contributionFromJson),
    suspensions: j.suspensions.map(suspensionFromJson),
    oneOffs: j.oneOffs.map(oneOffFromJson),
    splits: j.splits.map(splitFromJson),
  };
}

const q = JSON.stringify;

/**
 * `termsToJson` as JSON text, built directly (the import writes one per DP, 200,000 a council):
 * the same document, key for key (a spec checks they parse equal).
 */
export function termsJsonText(dp: DpTerms): string {
  const rates = dp.rates.map((r) => `{"from":${q(r.from)},"weeklyGross":"${r.weeklyGrossPence}"}`);
  const contributions = dp.contributions.map((c) => `{"from":${q(c.from)},"weekly":"${c.weeklyPence}"}`);
  const suspensions = dp.suspensions.map((s) => `{"from":${q(s.from)},"to":${q(s.to)},"reason":${q(s.reason)}}`);
  const oneOffs = dp.oneOffs.map(
    (o) => `{"id":${q(o.id)},"payDate":${q(o.payDate)},"amount":"${o.amountPence}","reason":${q(o.reason)}}`,
  );
  const splits = dp.splits.map((s) => `{"partner":${q(s.partner)},"from":${q(s.from)},"healthPctBp":"${s.healthBasisPoints}"}`);
  return `{"rates":[${rates.join(',')}],"contributions":[${contributions.join(',')}],"suspensions":[${suspensions.join(',')}],"oneOffs":[${oneOffs.join(',')}],"splits":[${splits.join(',')}]}`;
}
