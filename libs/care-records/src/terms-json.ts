/**
 * A DP's terms as stored (`direct_payment.terms`, jsonb): the one type of that document and its
 * codec. The import writes it (`termsJsonText`, straight to COPY text), the payment run's load
 * reads it (payments' `calcFromTerms`), both through `TermsJson`. Amounts are integer pence and
 * percentages basis points, as decimal strings (JSON numbers would lose bigints).
 */
import type { CivilDate } from '@dpb/common';
import type { DirectPayment, SuspensionReason } from './model';

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
    rates: dp.rates.map((r) => ({ from: r.from, weeklyGross: r.weeklyGross.toString() })),
    contributions: dp.contributions.map((c) => ({ from: c.from, weekly: c.weekly.toString() })),
    suspensions: dp.suspensions.map((s) => ({ from: s.from, to: s.to, reason: s.reason })),
    oneOffs: dp.oneOffs.map((o) => ({ id: o.id, payDate: o.payDate, amount: o.amount.toString(), reason: o.reason })),
    splits: dp.splits.map((s) => ({ partner: s.partner, from: s.from, healthPctBp: s.healthPctBp.toString() })),
  };
}

export function termsFromJson(j: TermsJson): DpTerms {
  return {
    rates: j.rates.map((r) => ({ from: r.from, weeklyGross: BigInt(r.weeklyGross) })),
    contributions: j.contributions.map((c) => ({ from: c.from, weekly: BigInt(c.weekly) })),
    suspensions: j.suspensions.map((s) => ({ from: s.from, to: s.to, reason: s.reason })),
    oneOffs: j.oneOffs.map((o) => ({ id: o.id, payDate: o.payDate, amount: BigInt(o.amount), reason: o.reason })),
    splits: j.splits.map((s) => ({ partner: s.partner, from: s.from, healthPctBp: BigInt(s.healthPctBp) })),
  };
}

const q = JSON.stringify;

/**
 * `termsToJson` as JSON text, built directly (the import writes one per DP, 200,000 a council):
 * the same document, key for key (a spec checks they parse equal).
 */
export function termsJsonText(dp: DpTerms): string {
  const rates = dp.rates.map((r) => `{"from":${q(r.from)},"weeklyGross":"${r.weeklyGross}"}`);
  const contributions = dp.contributions.map((c) => `{"from":${q(c.from)},"weekly":"${c.weekly}"}`);
  const suspensions = dp.suspensions.map((s) => `{"from":${q(s.from)},"to":${q(s.to)},"reason":${q(s.reason)}}`);
  const oneOffs = dp.oneOffs.map(
    (o) => `{"id":${q(o.id)},"payDate":${q(o.payDate)},"amount":"${o.amount}","reason":${q(o.reason)}}`,
  );
  const splits = dp.splits.map((s) => `{"partner":${q(s.partner)},"from":${q(s.from)},"healthPctBp":"${s.healthPctBp}"}`);
  return `{"rates":[${rates.join(',')}],"contributions":[${contributions.join(',')}],"suspensions":[${suspensions.join(',')}],"oneOffs":[${oneOffs.join(',')}],"splits":[${splits.join(',')}]}`;
}
