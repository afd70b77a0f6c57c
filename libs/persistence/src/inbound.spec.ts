import pino from 'pino';
import { loggerOptions } from '@dpb/platform';
import { InputRejected } from './inbound';

describe('InputRejected in a log line', () => {
  it('keeps its class and message (a count and a rule code), never the problems it names', () => {
    const lines: string[] = [];
    const log = pino(loggerOptions({ pretty: false }), { write: (s: string) => void lines.push(s) });
    const e = new InputRejected('mosaic-xml', [{ recordType: 'DirectPayment', recordId: 'DP5001', field: 'frequency', rule: 'enum' }]);
    log.warn({ err: e }, 'file quarantined');
    expect((JSON.parse(lines[0]) as { err: unknown }).err).toEqual({
      type: 'InputRejected',
      message: 'input rejected: 1 problem(s), first rule enum',
    });
  });
});
