import * as iconv from 'iconv-lite';

/**
 * Text of a legacy bank file: UTF-8 when the bytes are valid UTF-8, otherwise the given 8-bit
 * code page (default windows-1252, what UK bank exports use). A leading BOM is dropped.
 */
export function decodeText(input: Buffer | string, fallbackEncoding = 'windows-1252'): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    text = iconv.decode(input, fallbackEncoding);
  }
  return text.replace(/^\uFEFF/, '');
}
