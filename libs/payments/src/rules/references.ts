/**
 * Credit references. `paymentRef`: at most 18 characters from A-Z 0-9 . & / - and space (the
 * Bacs reference limit), unique per council: the council code followed by the credit's
 * council-wide sequence number in base 36, zero-padded to 6 characters (HCC + 0001Q7). A fixed
 * width makes the mapping one-to-one, so distinct sequence numbers give distinct references.
 * `endToEndId`: at most 35 characters, `<runId>-<n>`.
 */
const COUNCIL = /^[A-Z0-9]{2,12}$/;
const BACS_REF = /^[A-Z0-9.&/ -]{1,18}$/;
const END_TO_END = /^[A-Za-z0-9-]{1,35}$/;
const RUN_ID = /^[A-Z0-9]{2,12}-\d{8}-\d{1,6}$/;

export const PAYMENT_REF_SEQ_WIDTH = 6;
/** 36^6 - 1: the largest sequence number a fixed-width reference can carry. */
export const MAX_PAYMENT_REF_SEQUENCE = 36n ** BigInt(PAYMENT_REF_SEQ_WIDTH) - 1n;

export function isValidPaymentRef(ref: string): boolean {
  return BACS_REF.test(ref);
}

export function isValidEndToEndId(id: string): boolean {
  return END_TO_END.test(id);
}

export function paymentRef(council: string, sequenceNumber: number | bigint): string {
  if (!COUNCIL.test(council)) throw new RangeError('council code must be 2-12 characters A-Z 0-9');
  if (council.length + PAYMENT_REF_SEQ_WIDTH > 18)
    throw new RangeError('council code too long for an 18-character reference');
  const seq = BigInt(sequenceNumber);
  if (seq < 1n || seq > MAX_PAYMENT_REF_SEQUENCE)
    throw new RangeError('payment reference sequence out of range');
  const ref = council + seq.toString(36).toUpperCase().padStart(PAYMENT_REF_SEQ_WIDTH, '0');
  if (!isValidPaymentRef(ref)) throw new RangeError('payment reference is not Bacs-safe');
  return ref;
}

/** Inverse of paymentRef for a council's own references; null when not one of them. */
export function parsePaymentRef(council: string, ref: string): bigint | null {
  if (!ref.startsWith(council) || ref.length !== council.length + PAYMENT_REF_SEQ_WIDTH) return null;
  const body = ref.slice(council.length);
  if (!/^[0-9A-Z]+$/.test(body)) return null;
  let n = 0n;
  for (const ch of body) n = n * 36n + BigInt(parseInt(ch, 36));
  return n;
}

/** `<runId>-<n>` (n = 1-based position of the credit in the run), at most 35 characters. */
export function endToEndId(runId: string, n: number): string {
  if (!RUN_ID.test(runId)) throw new RangeError('runId must look like HCC-20261209-1');
  if (!Number.isInteger(n) || n < 1) throw new RangeError('credit number must be a positive integer');
  const id = `${runId}-${n}`;
  if (!isValidEndToEndId(id)) throw new RangeError('EndToEndId longer than 35 characters');
  return id;
}
