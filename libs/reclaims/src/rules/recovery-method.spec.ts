import { recoveryMethodOf } from './recovery';

describe('recoveryMethodOf', () => {
  it('uses the reason\'s own setting, else the council-wide one (default invoice)', () => {
    const s = { recoveryMethod: 'invoice' as const, recoveryMethodByReason: { SURPLUS: 'offset' as const } };
    expect(recoveryMethodOf('SURPLUS', s)).toBe('OFFSET');
    expect(recoveryMethodOf('OVERPAYMENT', s)).toBe('INVOICE');
    expect(recoveryMethodOf('DEATH', { recoveryMethod: 'offset', recoveryMethodByReason: { DEATH: 'invoice' } })).toBe('INVOICE');
    expect(recoveryMethodOf('MISUSE', { recoveryMethod: 'offset', recoveryMethodByReason: {} })).toBe('OFFSET');
  });
});
