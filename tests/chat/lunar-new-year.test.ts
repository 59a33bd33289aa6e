/**
 * The table of Lunar New Year's Days /mute reads (chat/mute-day.ts), each date proven rather than
 * remembered: 正月初一 computed from the Moon and the Sun (tests/helpers/meeus.ts) by the rule
 * Taiwan's and China's calendars print by (China's GB/T 33661-2017): days are counted in UTC+8, a
 * month begins on the day of a new moon, the month holding the December solstice is the 11th, and a
 * year of 13 months from one 11th month to the next has a leap month, the first holding no
 * principal term (中氣, the Sun at a multiple of 30°). New Year's Day is the second new moon after
 * the 11th month began, the third when the 11th or 12th month is followed by a leap one (2033's
 * leap 11th month: 2034's New Year is the third new moon after the solstice). Each moment a date
 * hangs on must lie well clear of midnight in UTC+8, or the test says the date is too close to call.
 */
import { describe, expect, test } from 'vitest';
import { muteDay } from '../../src/chat/mute-day.ts';
import { decemberSolstice, julianDay, newMoonJde, sunApparentLongitude, sunAtLongitude, ttToUtcMs } from '../helpers/meeus.ts';

const UTC8 = 8 * 3_600_000;
const DAY = 86_400_000;
/** The day in UTC+8 of a moment (JDE, TT), as a day number. */
const dayOf = (jde: number): number => Math.floor((ttToUtcMs(jde) + UTC8) / DAY);
const isoOf = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

/**
 * How close each deciding moment may come to midnight in UTC+8: the methods' errors with room to
 * spare. Chapter 49's new moons are within 17 s of the full lunar theory (Meeus, 1980-2020), and ΔT
 * is known to some seconds: 2 minutes. (2027's New Year hangs on the new moon of 6 February at
 * 23:56 in UTC+8: four minutes from being the 7th.) Chapter 25's Sun is within 0.01°, 15 minutes of
 * its motion: 30 minutes. A moment of the Sun only decides when a month begins on its day, the
 * day after or the day before.
 */
const NEW_MOON_MARGIN_MS = 2 * 60_000;
const SUN_MARGIN_MS = 30 * 60_000;

/** The moments the New Year of `year` hangs on that came closer to midnight than their margin. */
type Close = { what: string; at: string };

function newYear(year: number): { date: string; leap: boolean; close: Close[] } {
  const close: Close[] = [];
  const watch = (what: string, jde: number, margin: number, near: readonly number[] = [dayOf(jde)]) => {
    if (!near.some((k) => Math.abs(dayOf(k) - dayOf(jde)) <= 1)) return;
    const ms = ttToUtcMs(jde) + UTC8;
    const off = ((ms % DAY) + DAY) % DAY;
    if (Math.min(off, DAY - off) < margin) close.push({ what, at: new Date(ms).toISOString().replace('Z', '+08:00 (as UTC+8)') });
  };
  const moon = (k: number) => newMoonJde(k);
  /** The number of the new moon beginning the month that holds the December solstice of `y`. */
  const eleventh = (y: number): number => {
    const s = decemberSolstice(y);
    let k = Math.floor((y + 11.5 / 12 - 2000) * 12.3685) - 2;
    while (dayOf(moon(k + 1)) <= dayOf(s)) k++;
    watch(`the December solstice of ${y}`, s, SUN_MARGIN_MS, [moon(k), moon(k + 1)]);
    return k;
  };
  const k11 = eleventh(year - 1);
  const next11 = eleventh(year);
  for (let k = k11; k <= k11 + 3; k++) watch(`the new moon of ${isoOf(dayOf(moon(k)))}`, moon(k), NEW_MOON_MARGIN_MS);
  const months = next11 - k11;
  expect(months === 12 || months === 13, `${year}: ${months} months from one 11th month to the next`).toBe(true);
  let leapAfter11Or12 = false;
  if (months === 13) {
    // The principal terms of this 13-month span: the Sun at 270°, 300°, … from the solstice on.
    const s = decemberSolstice(year - 1);
    const terms = Array.from({ length: 13 }, (_, j) => sunAtLongitude((270 + 30 * j) % 360, s + j * 30.44));
    const holdsTerm = (k: number) => terms.some((t) => dayOf(t) >= dayOf(moon(k)) && dayOf(t) < dayOf(moon(k + 1)));
    // The first month from the 11th on without one is the leap month.
    let first = k11;
    while (first < next11 && holdsTerm(first)) first++;
    leapAfter11Or12 = first === k11 + 1 || first === k11 + 2;
    const starts = Array.from({ length: months + 1 }, (_, i) => moon(k11 + i));
    for (const [j, t] of terms.entries()) watch(`the principal term at ${(270 + 30 * j) % 360}°`, t, SUN_MARGIN_MS, starts);
  }
  return { date: isoOf(dayOf(moon(k11 + (leapAfter11Or12 ? 3 : 2)))), leap: leapAfter11Or12, close };
}

const TABLE = (() => {
  const d = muteDay('春節');
  if (d?.kind !== 'nextOf') throw new Error('春節 reads as no table of dates');
  return d.dates;
})();

describe('the astronomy, against the worked examples of Astronomical Algorithms', () => {
  test('GIVEN example 49.a (k = -283) THEN the new moon of 1977 February 18, JDE 2443192.65118', () => {
    expect(newMoonJde(-283)).toBeCloseTo(2443192.65118, 5);
  });

  test('GIVEN example 25.a (1992 October 13.0 TD) THEN the Sun’s apparent longitude 199.90895°', () => {
    expect(sunApparentLongitude(2448908.5)).toBeCloseTo(199.90895, 4);
  });

  test('GIVEN example 27.a THEN the June solstice of 1962 at JDE 2437837.39245, within 15 minutes (chapter 25’s Sun)', () => {
    expect(Math.abs(sunAtLongitude(90, julianDay(1962, 6, 21)) - 2437837.39245)).toBeLessThan(15 / 1440);
  });
});

describe('the Lunar New Year table', () => {
  test('GIVEN the table THEN it holds one date a year, 2026 to 2050, in order', () => {
    expect(TABLE.map((d) => Number(d.slice(0, 4)))).toEqual(Array.from({ length: 25 }, (_, i) => 2026 + i));
  });

  test.each(TABLE.map((d) => [d.slice(0, 4), d]))(
    'GIVEN %s THEN 正月初一 computed from the Moon and the Sun is %s, no deciding moment near midnight',
    (year, date) => {
      const n = newYear(Number(year));
      expect(n.close).toEqual([]);
      expect(n.date).toBe(date);
    },
  );

  test('GIVEN 2034 (after 2033’s leap 11th month) THEN the third new moon after the solstice, and no other year of the table a leap 11th or 12th month', () => {
    const leap = TABLE.map((d) => Number(d.slice(0, 4))).filter((y) => newYear(y).leap);
    expect(leap).toEqual([2034]);
  });
});
