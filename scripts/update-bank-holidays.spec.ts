import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateBankHolidayTable } from '../libs/common/src/bank-holiday-table';
import { updateBankHolidays } from './update-bank-holidays';

const bundledFile = path.resolve(
  __dirname,
  '..',
  'libs',
  'common',
  'data',
  'bank-holidays-england-and-wales.json',
);

// A GOV.UK-format feed (shape of https://www.gov.uk/bank-holidays.json), trimmed to 2027..2029.
function feed(extra2029: { date: string; title: string; notes: string }[]) {
  const ew = validateBankHolidayTable(JSON.parse(fs.readFileSync(bundledFile, 'utf8')))
    .events.filter((e) => e.date >= '2027-01-01')
    .map((e) => ({ ...e, bunting: true }));
  return {
    'england-and-wales': { division: 'england-and-wales', events: [...ew, ...extra2029] },
    scotland: {
      division: 'scotland',
      events: [{ title: "St Andrew's Day", date: '2027-11-30', notes: '', bunting: true }],
    },
  };
}

describe('scripts/update-bank-holidays', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpb-bh-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('extends the table from a feed, keeps older years, ignores other divisions, reports changes', () => {
    const out = path.join(dir, 'table.json');
    fs.copyFileSync(bundledFile, out);
    const feedFile = path.join(dir, 'feed.json');
    fs.writeFileSync(
      feedFile,
      JSON.stringify(
        feed([
          { date: '2029-01-01', title: 'New Year’s Day', notes: '' },
          { date: '2029-12-26', title: 'Boxing Day', notes: '' },
        ]),
      ),
    );
    const report = updateBankHolidays(feedFile, out);
    expect(report).toEqual([
      '+ 2029-01-01 New Year’s Day',
      '+ 2029-12-26 Boxing Day',
      'coversTo 2028-12-31 -> 2029-12-31',
    ]);
    const table = validateBankHolidayTable(JSON.parse(fs.readFileSync(out, 'utf8')));
    expect(table.coversFrom).toBe('2024-01-01'); // 2024..2026 kept from the old table
    expect(table.coversTo).toBe('2029-12-31');
    expect(table.events.some((e) => e.date === '2024-12-26')).toBe(true);
    expect(table.events.some((e) => e.date === '2027-11-30')).toBe(false); // Scottish only
  });

  it('says "no change" when the feed matches and refuses a feed without england-and-wales', () => {
    const out = path.join(dir, 'table.json');
    fs.copyFileSync(bundledFile, out);
    const feedFile = path.join(dir, 'feed.json');
    fs.writeFileSync(feedFile, JSON.stringify(feed([])));
    expect(updateBankHolidays(feedFile, out)).toEqual(['no change']);
    fs.writeFileSync(feedFile, JSON.stringify({ scotland: { division: 'scotland', events: [] } }));
    expect(() => updateBankHolidays(feedFile, out)).toThrow(/england-and-wales/);
  });
});
