/** Reference comparison for matching (pure). */

/** Upper-cased, trimmed, inner runs of white space collapsed. */
export function normaliseReference(text: string | null | undefined): string {
  return (text ?? '').trim().replace(/\s+/g, ' ').toUpperCase();
}

/**
 * Whether a bank or card item's free-text reference carries `ref` (one of our payment
 * references or EndToEndIds) as a whole token: equal, or bounded by non-alphanumerics.
 */
export function referenceCarries(itemReference: string | null | undefined, ref: string): boolean {
  const text = normaliseReference(itemReference);
  const want = normaliseReference(ref);
  if (!text || !want) return false;
  let at = text.indexOf(want);
  while (at >= 0) {
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + want.length] ?? '';
    if (!/[A-Z0-9]/.test(before) && !/[A-Z0-9]/.test(after)) return true;
    at = text.indexOf(want, at + 1);
  }
  return false;
}
