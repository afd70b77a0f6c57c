import pino from 'pino';
import { loggerOptions } from './logging';

function capture() {
  const lines: string[] = [];
  const logger = pino({ ...loggerOptions({ pretty: false, level: 'info' }) }, { write: (s: string) => void lines.push(s) });
  return { logger, lines };
}

describe('logging', () => {
  it('redacts personal fields at the top level and nested, and keeps ids and counts', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        dpId: 'DP5001',
        records: 3,
        nhsNumber: '9434765919',
        person: { firstName: 'Ann', lastName: 'Smith', address: '1 High Street', postcode: 'SO23 8UJ' },
        payee: { bank: { sortCode: '089999', accountNumber: '66374958' } },
        card: { merchant: 'Corner Shop' },
      },
      'import',
    );
    const out = lines.join('');
    for (const v of ['9434765919', 'Ann', 'Smith', '1 High Street', 'SO23 8UJ', '089999', '66374958', 'Corner Shop']) {
      expect(out).not.toContain(v);
    }
    expect(JSON.parse(out)).toMatchObject({ dpId: 'DP5001', records: 3, msg: 'import', name: 'dpbridge' });
  });
});
