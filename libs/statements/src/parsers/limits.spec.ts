import { loadEnv } from '@dpb/platform';
import { parseBai2 } from './bai2/bai2-parser';
import { DEFAULT_PARSER_LIMITS, parserLimitsFromEnv } from './limits';

const ENV = {
  DATABASE_URL: 'postgres://u@h/db',
  REDIS_URL: 'redis://h',
  DPB_CARE_INBOX: 'file:///in/care',
  DPB_BANK_INBOX: 'file:///in/bank',
  DPB_CARD_INBOX: 'file:///in/card',
  DPB_FINANCE_OUTBOX: 'file:///out/fin',
  DPB_CARD_OUTBOX: 'file:///out/card',
};

describe('parser limits', () => {
  it('default when the environment says nothing; each DPB_PARSER_* overrides one', () => {
    expect(parserLimitsFromEnv(loadEnv(ENV))).toEqual(DEFAULT_PARSER_LIMITS);
    const env = loadEnv({ ...ENV, DPB_PARSER_MAX_LINE_CHARS: '200', DPB_PARSER_MAX_XML_DEPTH: '16' });
    expect(parserLimitsFromEnv(env)).toEqual({ ...DEFAULT_PARSER_LIMITS, maxLineChars: 200, maxXmlDepth: 16 });
  });

  it('a limit below its floor is a configuration error', () => {
    expect(() => loadEnv({ ...ENV, DPB_PARSER_MAX_FIELD_CHARS: '3' })).toThrow(/DPB_PARSER_MAX_FIELD_CHARS/);
  });

  it('BAI2 over-long line and over-long field are refused', () => {
    const file = (text: string) =>
      ['01,S,R,261120,0600,1,,,2/', '02,R,S,1,261119,2400,GBP,2/', '03,1,GBP,010,0,,/', `16,195,100,0,B,C,${text}/`, '49,100,3/', '98,100,1,5/', '99,100,1,7/'].join('\n');
    expect(parseBai2(file('OK')).statements).toHaveLength(1);
    expect(() => parseBai2(file('X'.repeat(5000)))).toThrow(expect.objectContaining({ code: 'LINE_TOO_LONG', line: 4 }));
    expect(() => parseBai2(file('X'.repeat(300)), { limits: { maxFieldChars: 100 } })).toThrow(
      expect.objectContaining({ code: 'FIELD_TOO_LONG', line: 4 }),
    );
  });
});
