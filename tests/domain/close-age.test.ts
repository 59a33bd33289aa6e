/** When a daily price was set, per instrument and gold source: what every age shown counts from. */
import { describe, expect, test } from 'vitest';
import { closeAgeMs, priceSetAt } from '../../src/domain/close-age.ts';

const H = 3_600_000;

describe('priceSetAt', () => {
  test('GIVEN a stock close THEN 16:00 New York (20:00 UTC in summer, 21:00 in winter)', () => {
    expect(new Date(priceSetAt('2026-08-20', { instrument: 'spx', source: 'yahoo' })).toISOString()).toBe('2026-08-20T20:00:00.000Z');
    expect(new Date(priceSetAt('2026-11-20')).toISOString()).toBe('2026-11-20T21:00:00.000Z');
  });

  test('GIVEN a stock close on an early close (the day after Thanksgiving, Christmas Eve) THEN 13:00 New York', () => {
    expect(new Date(priceSetAt('2026-11-27', { instrument: 'spx', source: 'yahoo' })).toISOString()).toBe('2026-11-27T18:00:00.000Z');
    expect(new Date(priceSetAt('2026-12-24', { instrument: 'qqq' })).toISOString()).toBe('2026-12-24T18:00:00.000Z');
    expect(new Date(priceSetAt('2025-07-03')).toISOString()).toBe('2025-07-03T17:00:00.000Z');
  });

  test("GIVEN gold from LBMA THEN the PM fix's 15:00 London (14:00 UTC in summer, 15:00 in winter), not the New York close", () => {
    expect(new Date(priceSetAt('2026-08-20', { instrument: 'gold', source: 'lbma' })).toISOString()).toBe('2026-08-20T14:00:00.000Z');
    expect(new Date(priceSetAt('2026-11-20', { instrument: 'gold', source: 'lbma' })).toISOString()).toBe('2026-11-20T15:00:00.000Z');
  });

  test("GIVEN gold from Yahoo (GC=F) THEN the COMEX settlement's 13:30 New York", () => {
    expect(new Date(priceSetAt('2026-08-20', { instrument: 'gold', source: 'yahoo' })).toISOString()).toBe('2026-08-20T17:30:00.000Z');
    expect(new Date(priceSetAt('2026-11-20', { instrument: 'gold', source: 'yahoo' })).toISOString()).toBe('2026-11-20T18:30:00.000Z');
  });

  test('GIVEN gold from a source whose time is not known (an import, Twelve Data) THEN the New York close, as before', () => {
    expect(priceSetAt('2026-08-20', { instrument: 'gold', source: 'import:gold.csv' })).toBe(priceSetAt('2026-08-20'));
    expect(priceSetAt('2026-08-20', { instrument: 'gold', source: 'twelvedata' })).toBe(priceSetAt('2026-08-20'));
  });
});

describe('closeAgeMs', () => {
  test('GIVEN the morning after (08:00 New York) THEN the stocks are 16 h old, the LBMA fix 22 h and the GC=F settlement 18.5 h', () => {
    const now = Date.parse('2026-08-21T12:00:00Z');
    expect(closeAgeMs('2026-08-20', now, { instrument: 'spx' }) / H).toBe(16);
    expect(closeAgeMs('2026-08-20', now, { instrument: 'gold', source: 'lbma' }) / H).toBe(22);
    expect(closeAgeMs('2026-08-20', now, { instrument: 'gold', source: 'yahoo' }) / H).toBe(18.5);
  });

  test("GIVEN 17:00 New York on the day after Thanksgiving THEN that day's stock close is 4 h old, from its 13:00 early close", () => {
    expect(closeAgeMs('2026-11-27', Date.parse('2026-11-27T22:00:00Z'), { instrument: 'spx' }) / H).toBe(4);
  });

  test("GIVEN a day's fix asked about before it is set THEN 0, never negative", () => {
    expect(closeAgeMs('2026-08-20', Date.parse('2026-08-20T13:00:00Z'), { instrument: 'gold', source: 'lbma' })).toBe(0);
  });
});
