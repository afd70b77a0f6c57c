/**
 * Line-by-line reading without splitting the whole document: the lines are those of
 * `text.replace(/\r?\n$/, '').split(/\r?\n/)` (one trailing line break ends the last line, a CR
 * before LF is dropped), decoded as latin1 from a Buffer. Returns whether the text ends with LF.
 */
export function forEachLine(content: Buffer | string, onLine: (line: string) => void): boolean {
  const text = typeof content === 'string' ? content : undefined;
  const bytes = typeof content === 'string' ? undefined : content;
  const length = text !== undefined ? text.length : (bytes as Buffer).length;
  const lineAt = (start: number, end: number): string =>
    text !== undefined ? text.slice(start, end) : (bytes as Buffer).toString('latin1', start, end);
  const isCr = (i: number): boolean => (text !== undefined ? text.charCodeAt(i) === 0x0d : (bytes as Buffer)[i] === 0x0d);
  let start = 0;
  for (;;) {
    const lf = text !== undefined ? text.indexOf('\n', start) : (bytes as Buffer).indexOf(0x0a, start);
    if (lf < 0) {
      // The last line (possibly empty, when the text is empty or ends with a CR/LF pair already consumed).
      if (start < length || start === 0) onLine(lineAt(start, length));
      return false;
    }
    const end = lf > start && isCr(lf - 1) ? lf - 1 : lf;
    onLine(lineAt(start, end));
    start = lf + 1;
    if (start === length) return true;
  }
}
