import { mapAlias } from './alias-hook';

describe('mapAlias (the @dpb/* rule globalSetup applies outside Jest)', () => {
  it('maps a library and a file inside it to libs/<lib>/src', () => {
    expect(mapAlias('@dpb/common', '/repo')).toBe('/repo/libs/common/src');
    expect(mapAlias('@dpb/care-records/modulus/check', '/repo')).toBe('/repo/libs/care-records/src/modulus/check');
  });

  it('leaves every other request alone', () => {
    expect(mapAlias('pg', '/repo')).toBe('pg');
    expect(mapAlias('./data-source', '/repo')).toBe('./data-source');
    expect(mapAlias('@dpbx/common', '/repo')).toBe('@dpbx/common');
    expect(mapAlias('@nestjs/common', '/repo')).toBe('@nestjs/common');
  });
});
