import fc from 'fast-check';

import { parseIsoInstant } from './iso-instant';

describe(parseIsoInstant, () => {
  it.each([
    ['2026-05-01', '2026-05-01T00:00:00.000Z'],
    ['2026-05-01T18:00:00Z', '2026-05-01T18:00:00.000Z'],
    ['2026-05-01T18:00Z', '2026-05-01T18:00:00.000Z'],
    ['2026-05-01T18:00:00.123456789Z', '2026-05-01T18:00:00.123Z'],
    ['2026-05-01T18:00:00+02:00', '2026-05-01T16:00:00.000Z'],
    ['2026-05-01T00:30:00-05:30', '2026-05-01T06:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['0001-01-01', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('reads %s as %s', (text, instant) => {
    expect(parseIsoInstant(text)?.toISOString()).toBe(instant);
  });

  it.each([
    '2024-W01',
    '2024-W01-1',
    '20240101',
    '2024-01-01T00:00:00,5Z',
    '2024-001',
    '2024-01-01T00:00:00',
    '2024-01-01 00:00:00Z',
    '2024-01-01t00:00:00z',
    '2023-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '0000-01-01',
    '2024-01-01T24:00:00Z',
    '2024-01-01T23:60:00Z',
    '2024-01-01T23:59:60Z',
    '2024-01-01T00:00:00+24:00',
    '+002024-01-01',
    '2024-01-01\n',
    '',
    '２０２４-01-01',
  ])('refuses %j', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });

  it('accepts every real calendar day and gives back the same day at midnight UTC', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
        const day = date.toISOString().slice(0, 10);
        expect(parseIsoInstant(day)?.toISOString().slice(0, 10)).toBe(day);
      }),
    );
  });

  it('reads every date-time it prints back to the same instant (millisecond precision)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }), (date) => {
        expect(parseIsoInstant(date.toISOString())?.getTime()).toBe(date.getTime());
      }),
    );
  });

  it('accepts a date-shaped string exactly when its fields name a real day and time', () => {
    const shaped = fc.stringMatching(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/);
    fc.assert(
      fc.property(shaped, (text) => {
        const parsed = parseIsoInstant(text);
        const [year, month, day, hour = 0, minute = 0, second = 0] = text.split(/[-T:Z]/).filter((part) => part !== '').map<number>(Number);
        const real = new Date(Date.UTC(2000, month! - 1, day, hour, minute, second));
        real.setUTCFullYear(year!);
        const fieldsHold =
          year! >= 1 && real.getUTCMonth() === month! - 1 && real.getUTCDate() === day && real.getUTCHours() === hour && real.getUTCMinutes() === minute && real.getUTCSeconds() === second;
        expect(parsed?.getTime()).toBe(fieldsHold ? real.getTime() : undefined);
      }),
      { numRuns: 500 },
    );
  });
});
