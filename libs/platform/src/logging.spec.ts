import pino from 'pino';
import pinoHttp from 'pino-http';
import { DatabaseError } from 'pg-protocol';
import { QueryFailedError } from 'typeorm';
import { loggerOptions, SAFE_MESSAGE, serializeError } from './logging';

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

describe('logging errors', () => {
  const lineOf = (lines: string[]) => JSON.parse(lines.join('')) as { err: Record<string, unknown> };

  it('keeps a PostgreSQL error class, SQLSTATE and constraint, and drops message, detail, query and values', () => {
    const { logger, lines } = capture();
    // What pg and TypeORM raise for a second payment of one (DP, period): the message names the
    // constraint, the detail quotes the key's values, the parameters are the row.
    const pgError = Object.assign(new DatabaseError('duplicate key value violates unique constraint "ux_line_dp_period"', 0, 'error'), {
      code: '23505',
      detail: 'Key (dp_id, period_start)=(DP5001, 2026-11-23) already exists.',
      table: 'payment_line',
      constraint: 'ux_line_dp_period',
      schema: 'public',
      where: 'PL/pgSQL function x() line 3 at SQL statement with Smith',
    });
    const e = new QueryFailedError('INSERT INTO payment_line VALUES ($1, $2)', ['DP5001', 'Ann Smith'], pgError);
    logger.error({ err: e, dpCount: 1 }, 'store failed');
    const out = lines.join('');
    expect(lineOf(lines).err).toEqual({
      type: 'QueryFailedError',
      code: '23505',
      schema: 'public',
      table: 'payment_line',
      constraint: 'ux_line_dp_period',
    });
    for (const v of ['DP5001', 'Ann Smith', 'Smith', '2026-11-23', 'duplicate key', 'INSERT', 'stack', 'at ']) {
      expect(out).not.toContain(v);
    }
  });

  it('keeps a message only when the class is marked safe, and follows the cause two levels', () => {
    class Rejected extends Error {
      override readonly name = 'Rejected';
      readonly [SAFE_MESSAGE] = true;
    }
    class Unreachable extends Error {
      readonly code = 'CONNECT_FAILED';
    }
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:22 for /home/Ann Smith.xml'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      path: '/inbox/Ann Smith.xml',
    });
    const { logger, lines } = capture();
    logger.warn({ err: new Unreachable('cannot reach sftp://dp@host/inbox/Ann Smith.xml', { cause: refused }) }, 'x');
    logger.warn({ err: new Rejected('input rejected: 2 problem(s), first rule enum') }, 'y');
    const [first, second] = lines.map((l) => JSON.parse(l) as { err: unknown });
    expect(first.err).toEqual({ type: 'Unreachable', code: 'CONNECT_FAILED', cause: { type: 'Error', code: 'ECONNREFUSED', syscall: 'connect' } });
    expect(second.err).toEqual({ type: 'Rejected', message: 'input rejected: 2 problem(s), first rule enum' });
    expect(lines.join('')).not.toContain('Smith');
  });

  it('logs an error given as the first argument, a plain { name } object, and a code that is not a token', () => {
    const { logger, lines } = capture();
    logger.error(new TypeError('Cannot read properties of undefined (reading "Ann")'));
    logger.error({ err: { name: 'AbortError', code: 'has spaces: Ann Smith' } }, 'aborted');
    logger.error({ err: 'a string thrown: Ann' }, 'odd');
    const errs = lines.map((l) => (JSON.parse(l) as { err: unknown }).err);
    expect(errs).toEqual([{ type: 'TypeError' }, { type: 'AbortError' }, { type: 'string' }]);
    expect((JSON.parse(lines[0]) as { msg: string }).msg).toBe('TypeError');
    expect(lines.join('')).not.toContain('Ann');
  });

  it('keeps the same shape through pino-http (the Nest logger), which wraps the error serializer', () => {
    const lines: string[] = [];
    const base = pino({ ...loggerOptions({ pretty: false, level: 'info' }) }, { write: (s: string) => void lines.push(s) });
    const http = pinoHttp({ logger: base, autoLogging: false, serializers: { err: serializeError } });
    http.logger.error({ err: Object.assign(new Error('value Ann'), { code: '22P02', detail: 'Ann' }) }, 'request failed');
    expect(lineOf(lines).err).toEqual({ type: 'Error', code: '22P02' });
  });
});
