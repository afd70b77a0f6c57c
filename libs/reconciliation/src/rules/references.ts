/** Reference comparison for matching (pure). */

/** Upper-cased, trimmed, inner runs of white space collapsed. */
export function normaliseReference(text: string | null | undefined): string {
  return (text ?? '').trim().replace(/\s+/g, ' ').toUpperCase();
}

/**
 * Whether a bank or card item's free-text reference carries `ref` (one of our payment
 * references or EndToEndIds) as a whole token: equal, or bounded by non-alphanumerics. A `ref`
 * without letters or digits is never carried.
 */
export function referenceCarries(itemReference: string | null | undefined, ref: string): boolean {
  return carriesNormalised(normaliseReference(itemReference), normaliseReference(ref));
}

/** `referenceCarries` of texts already normalised. */
function carriesNormalised(text: string, want: string): boolean {
  if (!text || !/[A-Z0-9]/.test(want)) return false; // a reference without letters or digits names nothing
  let at = text.indexOf(want);
  while (at >= 0) {
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + want.length] ?? '';
    if (!/[A-Z0-9]/.test(before) && !/[A-Z0-9]/.test(after)) return true;
    at = text.indexOf(want, at + 1);
  }
  return false;
}

/** The maximal runs of letters and digits of a reference, normalised. */
export function referenceTokens(text: string | null | undefined): string[] {
  return normaliseReference(text).match(/[A-Z0-9]+/g) ?? [];
}

/**
 * Finds, among many texts, those that carry a reference, without comparing with each: a text
 * that carries `ref` has every letters-and-digits run of `ref` as one of its own runs (each run is
 * bounded inside `ref`, or by the boundary `referenceCarries` demands), so only the texts with
 * `ref`'s rarest run are checked (an EndToEndId `HCC-20261209-1-42` looks among the texts with
 * `42`, not among the 200,000 that all carry `HCC`).
 */
export class ReferenceIndex<T> {
  private readonly byToken = new Map<string, T[]>();
  private readonly normalised = new Map<T, string>();

  constructor(values: Iterable<T>, textOf: (v: T) => string | null | undefined) {
    for (const v of values) {
      const text = normaliseReference(textOf(v));
      this.normalised.set(v, text);
      for (const t of new Set(text.match(/[A-Z0-9]+/g) ?? [])) {
        const list = this.byToken.get(t);
        if (list) list.push(v);
        else this.byToken.set(t, [v]);
      }
    }
  }

  /** The values whose text carries `ref`, in insertion order. */
  carrying(ref: string): T[] {
    let rarest: T[] | null = null;
    for (const t of referenceTokens(ref)) {
      const list = this.byToken.get(t) ?? [];
      if (!rarest || list.length < rarest.length) rarest = list;
      if (!list.length) break;
    }
    const want = normaliseReference(ref);
    return (rarest ?? []).filter((v) => carriesNormalised(this.normalised.get(v) ?? '', want));
  }
}
