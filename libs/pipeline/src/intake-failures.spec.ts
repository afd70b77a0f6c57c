import { TransportError } from '@dpb/transport';
import { ReaderTimeout, failureDetail, isInfrastructureError } from './intake-failures';

const withCode = (code: string, message = 'x', name = 'Error') => Object.assign(new Error(message), { code, name });

describe('which read failures are the platform, not the file', () => {
  it.each([
    ['connection refused (pg pool)', withCode('ECONNREFUSED')],
    ['disk full', withCode('ENOSPC')],
    ['admin shutdown 57P01', withCode('57P01')],
    ['connection failure 08006', withCode('08006')],
    ['deadlock 40P01', withCode('40P01')],
    ['too many connections 53300', withCode('53300')],
    ['undefined table 42P01 (our bug)', withCode('42P01')],
    ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['pg: timeout exceeded when trying to connect', new Error('timeout exceeded when trying to connect')],
    ['TypeORM wrapping a driver error', Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError: withCode('57P01') })],
    ['an error caused by a reset socket', new Error('read failed', { cause: withCode('ECONNRESET') })],
    ['SFTP down', new TransportError('CONNECT_FAILED', 'endpoint x: connect failed')],
    ['SFTP read stalled', new TransportError('TIMEOUT', 'endpoint x: reading stalled')],
  ])('%s propagates', (_, e) => {
    expect(isInfrastructureError(e)).toBe(true);
  });

  it.each([
    ['a parser TypeError', new TypeError('Cannot read properties of undefined')],
    ['a RangeError from a hostile size', new RangeError('Invalid array length')],
    ['invalid UTF-8 (ERR_ code, not a system error)', withCode('ERR_ENCODING_INVALID_ENCODED_DATA')],
    ['a corrupt deflate stream', withCode('Z_DATA_ERROR')],
    ['PostgreSQL refusing a value from the file (22P02)', withCode('22P02')],
    ['the reader time-out', new ReaderTimeout(1000)],
    ['a rejected name', new TransportError('INVALID_NAME', 'bad name')],
    ['not an object', 'boom'],
  ])('%s is counted against the file', (_, e) => {
    expect(isInfrastructureError(e)).toBe(false);
  });

  it('describes a failure by class and code only, never by its message', () => {
    expect(failureDetail(withCode('22P02', 'invalid input syntax for type bigint: "Jane Smith"', 'QueryFailedError'))).toBe('QueryFailedError (22P02)');
    expect(failureDetail(new TypeError('Jane Smith'))).toBe('TypeError');
  });
});
