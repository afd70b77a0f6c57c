import { isValidNhsNumber, nhsCheckDigit } from './nhs';

// Hand-derived with weights 10..2:
// 943476591: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11-2 = 9.
// 100000006: 1*10 + 6*2 = 22; 22 mod 11 = 0; 11-0 = 11 -> 0.
// 100000001: 1*10 + 1*2 = 12; 12 mod 11 = 1; 11-1 = 10 -> no valid number.
describe('NHS number modulus 11', () => {
  it('accepts a correct check digit', () => {
    expect(nhsCheckDigit('943476591')).toBe(9);
    expect(isValidNhsNumber('9434765919')).toBe(true);
  });
  it('maps 11 to 0', () => {
    expect(nhsCheckDigit('100000006')).toBe(0);
    expect(isValidNhsNumber('1000000060')).toBe(true);
    expect(isValidNhsNumber('1000000061')).toBe(false);
  });
  it('treats a result of 10 as invalid whatever the last digit', () => {
    expect(nhsCheckDigit('100000001')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`100000001${d}`)).toBe(false);
  });
  it('rejects a wrong check digit and wrong shapes', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('943 476 5919')).toBe(false);
  });
});
