/**
 * Calendar code checked by hand: ISO parsing, local day starts and period plans, including
 * zones whose midnight is skipped or repeated by a clock change. The clock changes themselves
 * are checked with Intl here first, so that a tzdata change shows up as such and not as an
 * engine bug. The reference implementation's calendar (used by the property tests) is held
 * to the same hand-computed answers.
 */
import { expect } from '@open-wc/testing';
import {
  addDays,
  defaultEnd,
  parseCivil,
  parseIsoDateTime,
  planPeriods,
  startOfLocalDay,
} from '../../src/engine/index.js';
import { localParts } from '../../src/engine/periods.js';
import { refDayStart, refParseIso, refPlan } from './reference.js';
import { wall } from './wall.js';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

describe('parseIsoDateTime', () => {
  const valid: [string, number][] = [
    ['2026-03-10T10:00:00Z', Date.UTC(2026, 2, 10, 10)],
    ['2026-03-10T10:00Z', Date.UTC(2026, 2, 10, 10)], // seconds may be left out
    ['2026-03-10t10:00:00z', Date.UTC(2026, 2, 10, 10)],
    ['2026-03-10 10:00:00Z', Date.UTC(2026, 2, 10, 10)],
    ['2026-03-10T18:00:00+08:00', Date.UTC(2026, 2, 10, 10)],
    ['2026-03-10T05:00:00-0500', Date.UTC(2026, 2, 10, 10)],
    ['2026-03-10T15:45:00+05:45', Date.UTC(2026, 2, 10, 10)],
    ['2026-03-10T00:30:00+14:00', Date.UTC(2026, 2, 9, 10, 30)], // previous UTC day
    ['2026-03-10T10:00:00-00:00', Date.UTC(2026, 2, 10, 10)],
    ['2026-03-10T10:00:00.5Z', Date.UTC(2026, 2, 10, 10, 0, 0, 500)],
    ['2026-03-10T10:00:00,25Z', Date.UTC(2026, 2, 10, 10, 0, 0, 250)],
    ['2026-03-10T10:00:00.123456789Z', Date.UTC(2026, 2, 10, 10, 0, 0, 123)], // truncated
    ['2026-03-10T10:00:00.9999Z', Date.UTC(2026, 2, 10, 10, 0, 0, 999)], // not rounded up
    ['2024-02-29T23:59:59Z', Date.UTC(2024, 1, 29, 23, 59, 59)], // leap year
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)], // divisible by 400
    ['1969-12-31T23:59:59.999Z', -1],
    ['0099-01-01T00:00:00Z', -59_042_995_200_000], // year 99, not 1999
    // The last valid value of each field.
    ['2026-12-31T23:59:59Z', Date.UTC(2026, 11, 31, 23, 59, 59)],
    ['2026-01-31T10:00:00Z', Date.UTC(2026, 0, 31, 10)],
    ['2026-04-30T10:00:00Z', Date.UTC(2026, 3, 30, 10)],
    ['2026-03-10T23:00:00+23:00', Date.UTC(2026, 2, 10)],
    ['2026-03-10T10:59:00+00:59', Date.UTC(2026, 2, 10, 10)],
  ];
  for (const [s, t] of valid) {
    it(`parses ${s}`, () => {
      expect(parseIsoDateTime(s)).to.equal(t);
      expect(refParseIso(s)).to.equal(t);
    });
  }

  const invalid = [
    '2026-03-10', // a date alone
    '2026-03-10T10:00:00', // no offset
    '2026-03-10T10:00:00+08', // offset without minutes
    '2026-03-10T10:00:00+24:00', // offset hour 24
    '2026-03-10T10:00:00+05:60',
    '2026-03-10T24:00:00Z',
    '2026-03-10T10:60:00Z',
    '2026-03-10T10:00:60Z', // no leap seconds
    '2026-02-29T10:00:00Z', // 2026 is not a leap year
    '1900-02-29T10:00:00Z', // 1900 is not a leap year
    '2026-04-31T10:00:00Z',
    '2026-00-10T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-03-00T10:00:00Z',
    '2026-03-10T10:00:00.1234567891Z', // more than 9 fraction digits
    '2026-03-10T10:00:00.Z',
    '2026-03-10T10Z',
    '2026-3-10T10:00:00Z',
    '+002026-03-10T10:00:00Z',
    '20260310T100000Z',
    ' 2026-03-10T10:00:00Z',
    '2026-03-10T10:00:00Z ',
    '2026-03-10T10:00:00 Z',
    'Tue, 10 Mar 2026 10:00:00 GMT',
    '1773136800000',
    '',
  ];
  for (const s of invalid) {
    it(`rejects '${s}'`, () => {
      expect(parseIsoDateTime(s)).to.be.NaN;
      expect(refParseIso(s)).to.equal(null);
    });
  }
});

describe('startOfLocalDay', () => {
  const cases: [string, string, string][] = [
    ['UTC', '2026-03-10', '2026-03-10T00:00:00Z'],
    ['Asia/Shanghai', '2026-03-10', '2026-03-09T16:00:00Z'],
    ['Asia/Kolkata', '2026-03-10', '2026-03-09T18:30:00Z'],
    ['Asia/Kathmandu', '2026-03-10', '2026-03-09T18:15:00Z'],
    ['Pacific/Kiritimati', '2026-03-10', '2026-03-09T10:00:00Z'], // UTC+14
    ['Pacific/Pago_Pago', '2026-03-10', '2026-03-10T11:00:00Z'], // UTC−11
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00Z'], // EST, DST starts 02:00
    ['America/New_York', '2026-03-09', '2026-03-09T04:00:00Z'], // EDT
    ['America/New_York', '2026-11-01', '2026-11-01T04:00:00Z'], // EDT, DST ends 02:00
    ['America/New_York', '2026-11-02', '2026-11-02T05:00:00Z'],
    ['Europe/Berlin', '2026-03-29', '2026-03-28T23:00:00Z'],
    ['Europe/Berlin', '2026-03-30', '2026-03-29T22:00:00Z'],
    ['Europe/Berlin', '2026-10-25', '2026-10-24T22:00:00Z'],
    ['Europe/Berlin', '2026-10-26', '2026-10-25T23:00:00Z'],
  ];
  for (const [zone, date, start] of cases) {
    it(`starts ${date} in ${zone} at ${start}`, () => {
      // The hand value is local midnight: check it with Intl, then the engine.
      expect(wall(at(start), zone)).to.equal(`${date} 00:00:00`);
      expect(wall(at(start) - 1000, zone).slice(0, 10) < date).to.equal(true);
      expect(iso(startOfLocalDay(parseCivil(date), zone))).to.equal(start);
      expect(iso(refDayStart(date, zone))).to.equal(start);
    });
  }

  it('starts a day whose midnight is skipped (Santiago, 2026-09-06) at its first instant', () => {
    // Chile springs forward at 24:00 on Saturday: 23:59:59 −04 is followed by 01:00 −03.
    expect(wall(at('2026-09-06T03:59:59Z'), 'America/Santiago')).to.equal('2026-09-05 23:59:59');
    expect(wall(at('2026-09-06T04:00:00Z'), 'America/Santiago')).to.equal('2026-09-06 01:00:00');
    const start = startOfLocalDay({ y: 2026, m: 9, d: 6 }, 'America/Santiago');
    expect(iso(start)).to.equal('2026-09-06T04:00:00Z');
    expect(iso(refDayStart('2026-09-06', 'America/Santiago'))).to.equal('2026-09-06T04:00:00Z');
    // The next day starts at midnight −03.
    expect(iso(startOfLocalDay({ y: 2026, m: 9, d: 7 }, 'America/Santiago'))).to.equal(
      '2026-09-07T03:00:00Z',
    );
  });

  it('starts a day whose midnight is skipped (Havana, 2026-03-08) at its first instant', () => {
    // Cuba springs forward at 00:00: 23:59:59 −05 is followed by 01:00 −04.
    expect(wall(at('2026-03-08T04:59:59Z'), 'America/Havana')).to.equal('2026-03-07 23:59:59');
    expect(wall(at('2026-03-08T05:00:00Z'), 'America/Havana')).to.equal('2026-03-08 01:00:00');
    expect(iso(startOfLocalDay({ y: 2026, m: 3, d: 8 }, 'America/Havana'))).to.equal(
      '2026-03-08T05:00:00Z',
    );
    expect(iso(refDayStart('2026-03-08', 'America/Havana'))).to.equal('2026-03-08T05:00:00Z');
  });

  it('starts a day whose midnight is repeated (Havana, 2026-11-01) at the first midnight', () => {
    // Cuba falls back at 01:00 −04 to 00:00 −05: midnight happens twice.
    expect(wall(at('2026-11-01T04:00:00Z'), 'America/Havana')).to.equal('2026-11-01 00:00:00');
    expect(wall(at('2026-11-01T05:00:00Z'), 'America/Havana')).to.equal('2026-11-01 00:00:00');
    expect(iso(startOfLocalDay({ y: 2026, m: 11, d: 1 }, 'America/Havana'))).to.equal(
      '2026-11-01T04:00:00Z',
    );
    expect(iso(refDayStart('2026-11-01', 'America/Havana'))).to.equal('2026-11-01T04:00:00Z');
  });
});

describe('planPeriods', () => {
  const hours = (starts: number[]) => starts.map((t) => wall(t, 'America/Havana').slice(11, 16));

  it('plans range 1 over Santiago’s skipped midnight: 23 hours, the day before 24', () => {
    const plan = planPeriods(1, { y: 2026, m: 9, d: 6 }, 'America/Santiago');
    expect(plan.granularity).to.equal('hour');
    expect(iso(plan.period.start)).to.equal('2026-09-06T04:00:00Z');
    expect(iso(plan.period.end)).to.equal('2026-09-07T03:00:00Z');
    expect(iso(plan.previous.start)).to.equal('2026-09-05T04:00:00Z');
    expect(plan.previous.end).to.equal(plan.period.start);
    expect(plan.buckets).to.have.length(23);
    expect(plan.previousBuckets).to.have.length(24);
    // The first bucket is local 01:00, the last 23:00.
    expect(wall(plan.buckets[0], 'America/Santiago').slice(11)).to.equal('01:00:00');
    expect(wall(plan.buckets[22], 'America/Santiago').slice(11)).to.equal('23:00:00');
    expect(refPlan(1, '2026-09-06', 'America/Santiago')).to.deep.equal({
      period: plan.period,
      previous: plan.previous,
      buckets: plan.buckets,
      previousBuckets: plan.previousBuckets,
    });
  });

  it('plans range 1 over Havana’s repeated midnight: 25 hours, two of them 00:00', () => {
    const plan = planPeriods(1, { y: 2026, m: 11, d: 1 }, 'America/Havana');
    expect(iso(plan.period.start)).to.equal('2026-11-01T04:00:00Z');
    expect(iso(plan.period.end)).to.equal('2026-11-02T05:00:00Z');
    expect(plan.buckets).to.have.length(25);
    expect(hours(plan.buckets).slice(0, 3)).to.deep.equal(['00:00', '00:00', '01:00']);
    expect(refPlan(1, '2026-11-01', 'America/Havana').buckets).to.deep.equal(plan.buckets);
  });

  it('plans range 1 over Havana’s skipped midnight: 23 hours from 01:00', () => {
    const plan = planPeriods(1, { y: 2026, m: 3, d: 8 }, 'America/Havana');
    expect(iso(plan.period.start)).to.equal('2026-03-08T05:00:00Z');
    expect(iso(plan.period.end)).to.equal('2026-03-09T04:00:00Z');
    expect(plan.buckets).to.have.length(23);
    expect(hours(plan.buckets)[0]).to.equal('01:00');
  });

  it('plans range 7 in Berlin across the spring change, day by local day', () => {
    const plan = planPeriods(7, { y: 2026, m: 3, d: 31 }, 'Europe/Berlin');
    expect(plan.granularity).to.equal('day');
    // 03-25 … 03-31; 03-29 has 23 hours (CET +1 until 02:00, then CEST +2).
    expect(plan.buckets.map(iso)).to.deep.equal([
      '2026-03-24T23:00:00Z',
      '2026-03-25T23:00:00Z',
      '2026-03-26T23:00:00Z',
      '2026-03-27T23:00:00Z',
      '2026-03-28T23:00:00Z',
      '2026-03-29T22:00:00Z',
      '2026-03-30T22:00:00Z',
    ]);
    expect(iso(plan.period.end)).to.equal('2026-03-31T22:00:00Z');
    // Comparison: 03-18 … 03-24, all CET.
    expect(iso(plan.previous.start)).to.equal('2026-03-17T23:00:00Z');
    expect(plan.previousBuckets[6]).to.equal(at('2026-03-23T23:00:00Z'));
    expect(plan.previous.end).to.equal(plan.period.start);
    const ref = refPlan(7, '2026-03-31', 'Europe/Berlin');
    expect(ref.buckets).to.deep.equal(plan.buckets);
    expect(ref.previousBuckets).to.deep.equal(plan.previousBuckets);
  });

  it('plans range 30 in New York: 03-02 … 03-31 after 01-31 … 03-01', () => {
    const plan = planPeriods(30, { y: 2026, m: 3, d: 31 }, 'America/New_York');
    expect(iso(plan.period.start)).to.equal('2026-03-02T05:00:00Z');
    expect(iso(plan.period.end)).to.equal('2026-04-01T04:00:00Z');
    expect(iso(plan.previous.start)).to.equal('2026-01-31T05:00:00Z');
    expect(plan.buckets).to.have.length(30);
    expect(plan.previousBuckets).to.have.length(30);
    // Day lengths: 24 h except 03-08 (the 7th day of the period), 23 h.
    const lengths = plan.buckets.map(
      (t, i) => ((plan.buckets[i + 1] ?? plan.period.end) - t) / 3.6e6,
    );
    expect(lengths.filter((h) => h !== 24)).to.deep.equal([23]);
    expect(lengths[6]).to.equal(23);
    expect(refPlan(30, '2026-03-31', 'America/New_York')).to.deep.equal({
      period: plan.period,
      previous: plan.previous,
      buckets: plan.buckets,
      previousBuckets: plan.previousBuckets,
    });
  });

  it('starts every hourly bucket at a whole local hour, also for 30-minute clock changes', () => {
    // Lord Howe Island falls back 30 min on 2026-04-05: 02:00 +11 becomes 01:30 +10:30.
    const zone = 'Australia/Lord_Howe';
    expect(wall(at('2026-04-04T14:59:59Z'), zone)).to.equal('2026-04-05 01:59:59');
    expect(wall(at('2026-04-04T15:00:00Z'), zone)).to.equal('2026-04-05 01:30:00');
    const plan = planPeriods(1, { y: 2026, m: 4, d: 5 }, zone);
    // 24.5 h: 00:00, 01:00 (1.5 h, its last half hour repeated), 02:00 … 23:00.
    expect(plan.buckets).to.have.length(24);
    expect(plan.buckets.map((t) => wall(t, zone).slice(14))).to.deep.equal(
      new Array(24).fill('00:00'),
    );
    expect(iso(plan.buckets[2])).to.equal('2026-04-04T15:30:00Z');
    expect(refPlan(1, '2026-04-05', zone).buckets).to.deep.equal(plan.buckets);
  });
});

describe('calendar helpers', () => {
  it('moves dates across month and year ends', () => {
    expect(addDays({ y: 2026, m: 3, d: 1 }, -1)).to.deep.equal({ y: 2026, m: 2, d: 28 });
    expect(addDays({ y: 2024, m: 3, d: 1 }, -1)).to.deep.equal({ y: 2024, m: 2, d: 29 });
    expect(addDays({ y: 2026, m: 12, d: 31 }, 1)).to.deep.equal({ y: 2027, m: 1, d: 1 });
  });

  it('gives yesterday in the time zone as the default end', () => {
    // 2026-01-01T03:00Z is 2025-12-31 22:00 in New York, 11:00 on 01-01 in Shanghai.
    expect(defaultEnd(at('2026-01-01T03:00:00Z'), 'America/New_York')).to.equal('2025-12-30');
    expect(defaultEnd(at('2026-01-01T03:00:00Z'), 'Asia/Shanghai')).to.equal('2025-12-31');
  });

  it('parses civil dates strictly', () => {
    expect(parseCivil('2024-02-29')).to.deep.equal({ y: 2024, m: 2, d: 29 });
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', 20260101]) {
      expect(() => parseCivil(bad)).to.throw(RangeError, /end/);
    }
  });
});

describe('localParts', () => {
  it('gives the local date and time of an instant, with years before 1 CE as 0, −1, …', () => {
    expect(localParts(Date.UTC(2026, 2, 10, 23, 59, 58), 'Asia/Kathmandu')).to.deep.equal({
      y: 2026,
      m: 3,
      d: 11,
      h: 5,
      mi: 44,
      s: 58,
    });
    expect(localParts(Date.UTC(2026, 2, 10, 3, 7, 9), 'America/New_York')).to.deep.equal({
      y: 2026,
      m: 3,
      d: 9,
      h: 23,
      mi: 7,
      s: 9,
    });
    // (New York is on summer time, UTC−4, since Mar 8.) Astronomical years: 1 BCE is year 0.
    const bce = (year: number) => {
      const d = new Date(Date.UTC(2000, 5, 15, 12));
      d.setUTCFullYear(year);
      return d.getTime();
    };
    expect(localParts(bce(0), 'UTC')).to.include({ y: 0, m: 6, d: 15, h: 12 });
    expect(localParts(bce(-99), 'UTC')).to.include({ y: -99, m: 6, d: 15 });
    expect(localParts(bce(1), 'UTC')).to.include({ y: 1 });
  });
});
