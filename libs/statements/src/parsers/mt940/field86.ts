/**
 * The German/Dutch structured `:86:` layout: a 3-digit business transaction code (GVC)
 * followed by `?NN` sub-fields (`?00` posting text, `?20`-`?29` and `?60`-`?63` purpose lines
 * with SEPA keys `EREF+`, `SVWZ+`..., `?32`/`?33` the other party's name). UK banks send free
 * text instead; then this returns null and the text stays in `extra.details` only.
 */
export interface Structured86 {
  gvc: string | null;
  endToEndId: string | null;
  name: string | null;
  purpose: string | null;
}

const SEPA_KEYS = ['EREF', 'KREF', 'MREF', 'CRED', 'DEBT', 'SVWZ', 'ABWA', 'ABWE', 'COAM', 'OAMT', 'SQTP', 'PURP', 'IBAN', 'BIC'];

export function parseStructured86(joined: string): Structured86 | null {
  const m = /^\s*(\d{3})?\?\d{2}/.exec(joined);
  if (!m) return null;
  const parts = joined.slice(m[0].length - 3).split(/\?(\d{2})/);
  const fields = new Map<string, string>();
  for (let i = 1; i + 1 < parts.length; i += 2) {
    fields.set(parts[i], (fields.get(parts[i]) ?? '') + parts[i + 1]);
  }
  const cat = (codes: number[]) => codes.map((c) => fields.get(String(c).padStart(2, '0')) ?? '').join('');
  const purposeText = cat([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 60, 61, 62, 63]);
  const keyed = splitSepaKeys(purposeText);
  const name = cat([32, 33]).trim();
  return {
    gvc: m[1] ?? null,
    endToEndId: keyed.get('EREF')?.trim() || null,
    name: name || null,
    purpose: (keyed.get('SVWZ') ?? (keyed.size ? null : purposeText))?.trim() || null,
  };
}

function splitSepaKeys(text: string): Map<string, string> {
  const re = new RegExp(`(${SEPA_KEYS.join('|')})\\+`, 'g');
  const out = new Map<string, string>();
  const hits = [...text.matchAll(re)];
  hits.forEach((h, i) => {
    const start = (h.index ?? 0) + h[0].length;
    const end = i + 1 < hits.length ? (hits[i + 1].index ?? text.length) : text.length;
    if (!out.has(h[1])) out.set(h[1], text.slice(start, end));
  });
  return out;
}
