import type { StatementFormat } from '../model';

export type DetectedFormat = StatementFormat | 'mosaic-xml' | 'mosaic-csv';

const MOSAIC_CSV_FIRST_COLUMNS = new Set(['person_id', 'payee_id', 'dp_id', 'extract_id']);

/**
 * Detects a file's format from its first few KB (the name only breaks a tie for provider card
 * files whose own headers are mapped in config). Returns null for anything unrecognised.
 */
export function detectFormat(head: Buffer, fileName?: string): DetectedFormat | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return 'mosaic-csv'; // a zip: only the Mosaic CSV export arrives zipped
  }
  const text = head.toString('latin1').replace(/^\xEF\xBB\xBF/, '').replace(/^[\s\x01]+/, '');
  if (text.startsWith('<')) return detectXml(text);
  if (/^01,[^\n]*\/?\s*(\r?\n|$)?/.test(text) && /(^|[\n/]\s*)02,/.test(text)) return 'bai2';
  if (/(^|\n)\s*(\{1:[^\n]*\{4:|:20:)/.test(text) && /(^|\n):25:/.test(text)) return 'mt940';
  if (/^\{1:F01/.test(text)) return 'mt940';
  const firstLine = text.split(/\r?\n/, 1)[0];
  const header = firstLine.split(',').map((h) => h.replace(/^"|"$/g, '').trim());
  if (header.includes('txn_id') && header.includes('posted_at')) return 'cards-csv';
  if (MOSAIC_CSV_FIRST_COLUMNS.has(header[0])) return 'mosaic-csv';
  if (fileName && /(^|[\\/])cards_[^\\/]*\.csv$/i.test(fileName) && header.length > 1) return 'cards-csv';
  return null;
}

function detectXml(text: string): DetectedFormat | null {
  // skip the prolog, comments and processing instructions to the root element
  const body = text.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const root = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]/.exec(body);
  if (!root) return null;
  if (root[2] === 'MosaicExport') return 'mosaic-xml';
  if (root[2] !== 'Document') return null;
  if (/camt\.053\.001\.\d{2}/.test(body) || /<([\w.-]+:)?BkToCstmrStmt[\s>]/.test(body)) return 'camt.053';
  if (/camt\.054\.001\.\d{2}/.test(body) || /<([\w.-]+:)?BkToCstmrDbtCdtNtfctn[\s>]/.test(body)) return 'camt.054';
  return null;
}
