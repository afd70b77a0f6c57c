import { advisoryLockKey } from './advisory-lock';

describe('advisoryLockKey', () => {
  it('is the scope and the council joined with a colon, as the per-aggregate SQL built it', () => {
    expect(advisoryLockKey('payment-run', 'LBX')).toBe('payment-run:LBX');
    expect(advisoryLockKey('invoices', 'LBX')).toBe('invoices:LBX');
    expect(advisoryLockKey('reconcile', 'LBX')).toBe('reconcile:LBX');
    expect(advisoryLockKey('care_extract', 'LBX')).toBe('care_extract:LBX');
  });

  it('appends the narrowing parts in order', () => {
    expect(advisoryLockKey('officer-case', 'LBX', 'UNDERSPEND')).toBe('officer-case:LBX:UNDERSPEND');
    expect(advisoryLockKey('card_txn', 'LBX', 'PREPAY')).toBe('card_txn:LBX:PREPAY');
    expect(advisoryLockKey('bank_statement', 'LBX', '12345678')).toBe('bank_statement:LBX:12345678');
  });

  it('keeps different councils and parts on different keys', () => {
    expect(advisoryLockKey('card_txn', 'A', 'B')).not.toBe(advisoryLockKey('card_txn', 'B', 'A'));
    expect(advisoryLockKey('payment-run', 'A')).not.toBe(advisoryLockKey('invoices', 'A'));
  });
});
