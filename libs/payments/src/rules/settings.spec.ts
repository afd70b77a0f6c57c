import { parseCouncilSettings } from './settings';

const minimal = {
  council: 'HCC',
  goLiveDate: '2026-11-02',
  finance: { postingFormat: 'SAP_IDOC', sapCompanyCode: '1000' },
};

describe('council settings', () => {
  it('applies the contract defaults', () => {
    const s = parseCouncilSettings(minimal);
    expect(s).toMatchObject({
      anchorDate: '2026-04-06',
      leadBacsDays: 3,
      offsetOverpayments: true,
      holdFirstPayment: true,
      holdBankChange: true,
      holdChangePct: 25,
      holdRunPct: 20,
      releaseMode: 'auto',
      surplusWeeks: 8,
      surplusFloorPence: 0n,
      holdEveryOneOff: false,
      holdEndingInPeriod: false,
      holdFirstAfterRateChange: false,
    });
    expect(s.defaultHealthPct).toBeUndefined();
    expect(s.finance.paymentFormat).toBe('NONE');
  });

  it('requires goLiveDate, a Monday, and refuses a non-Monday anchor', () => {
    expect(() => parseCouncilSettings({ ...minimal, goLiveDate: undefined })).toThrow(/goLiveDate/);
    expect(() => parseCouncilSettings({ ...minimal, goLiveDate: '2026-11-03' })).toThrow(
      /goLiveDate: must be a Monday/,
    );
    expect(() => parseCouncilSettings({ ...minimal, anchorDate: '2026-04-07' })).toThrow(/anchorDate/);
  });

  it('keeps money and percentages exact', () => {
    const s = parseCouncilSettings({ ...minimal, surplusFloorPence: '150000', defaultHealthPct: '50.00' });
    expect(s.surplusFloorPence).toBe(150000n);
    expect(s.defaultHealthPct).toBe(5000n);
    expect(() => parseCouncilSettings({ ...minimal, defaultHealthPct: '50.001' })).toThrow(
      /defaultHealthPct/,
    );
  });

  it('requires the Bacs originator details for BACS_STD18', () => {
    expect(() =>
      parseCouncilSettings({ ...minimal, finance: { ...minimal.finance, paymentFormat: 'BACS_STD18' } }),
    ).toThrow(/finance.bacsServiceUserNumber/);
    const ok = parseCouncilSettings({
      ...minimal,
      finance: {
        ...minimal.finance,
        paymentFormat: 'BACS_STD18',
        bacsServiceUserNumber: '123456',
        originatorName: 'HAMPSHIRE CC',
        originatingSortCode: '401234',
        originatingAccountNumber: '12345678',
        originatingAccountName: 'HAMPSHIRE CC DP',
      },
    });
    expect(ok.finance.paymentFormat).toBe('BACS_STD18');
  });

  it('refuses an endpoint URL carrying a password (settings files are committed), without echoing it', () => {
    const withPassword = { ...minimal, endpoints: { careInbox: 'sftp://dp:S3CRET@sftp.example:22/care' } };
    expect(() => parseCouncilSettings(withPassword)).toThrow(/endpoints\.careInbox: must not carry a password/);
    expect(() => parseCouncilSettings(withPassword)).not.toThrow(/S3CRET/);
    expect(parseCouncilSettings({ ...minimal, endpoints: { careInbox: 'sftp://dp@sftp.example:22/care' } }).endpoints.careInbox).toBe(
      'sftp://dp@sftp.example:22/care',
    );
  });

  it('refuses audit.cardRecoupment: true (recouping from cards is not built), naming the setting', () => {
    expect(parseCouncilSettings(minimal).audit.cardRecoupment).toBe(false);
    expect(() => parseCouncilSettings({ ...minimal, audit: { cardRecoupment: true } })).toThrow(
      /audit\.cardRecoupment: recouping a SURPLUS from a card is not built yet/,
    );
  });
});
