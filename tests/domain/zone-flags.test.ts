/**
 * A country's flag as a zone (domain/zone-flags.ts, digest-schedule.ts resolveTimeZone): the runtime's
 * zones of its region, by `Intl.Locale#timeZones` (Node 20) or `getTimeZones()` (later Nodes), whichever
 * this one has; zones keeping one clock are one choice.
 */
import { describe, expect, test } from 'vitest';
import { resolveTimeZone } from '../../src/domain/digest-schedule.ts';
import { flagRegion, zonesOfFlag } from '../../src/domain/zone-flags.ts';

describe('a flag as a zone', () => {
  test.each([
    ['🇹🇼', 'Asia/Taipei'],
    ['🇯🇵', 'Asia/Tokyo'],
    // China keeps one clock by law (Asia/Urumqi is a local one): Beijing's.
    ['🇨🇳', 'Asia/Shanghai'],
    // The runtime's old name, as any zone typed is (Asia/Calcutta).
    ['🇮🇳', 'Asia/Kolkata'],
    // Europe/Busingen keeps Berlin's clock: one choice, the one readers name.
    ['🇩🇪', 'Europe/Berlin'],
    ['🇬🇧', 'Europe/London'],
    // With the variation selector some keyboards add.
    ['🇹🇼\uFE0F', 'Asia/Taipei'],
    [' 🇯🇵 ', 'Asia/Tokyo'],
  ])('GIVEN %s THEN its one clock, %s', (flag, zone) => {
    expect(resolveTimeZone(flag)).toEqual({ kind: 'zone', zone });
  });

  test.each([
    [
      '🇺🇸',
      [
        'America/New_York',
        'America/Chicago',
        'America/Denver',
        'America/Phoenix',
        'America/Los_Angeles',
        'America/Anchorage',
        // Both at UTC-10 in January; Honolulu, better known, first (Adak keeps summer time).
        'Pacific/Honolulu',
        'America/Adak',
      ],
    ],
    ['🇪🇸', ['Europe/Madrid', 'Atlantic/Canary']],
  ])('GIVEN %s THEN its clocks to choose from, east to west, each by the zone its readers name', (flag, choices) => {
    expect(resolveTimeZone(flag)).toEqual({ kind: 'ambiguous', abbreviation: flag, choices });
  });

  test('GIVEN 🇦🇺 THEN Sydney first and Perth last, Brisbane (no daylight saving) apart from Sydney', () => {
    const r = resolveTimeZone('🇦🇺');
    expect(r.kind).toBe('ambiguous');
    if (r.kind !== 'ambiguous') return;
    expect([r.choices[0], r.choices.at(-1)]).toEqual(['Australia/Sydney', 'Australia/Perth']);
    expect(r.choices).toContain('Australia/Brisbane');
  });

  test.each(['🇪🇺', '🇺🇳', '🇽🇽'])('GIVEN %s (no country with a clock) THEN no zone', (flag) => {
    expect(resolveTimeZone(flag)).toEqual({ kind: 'unknown' });
  });

  test('GIVEN text that is no flag THEN no region, and zones as before', () => {
    expect([flagRegion('TW'), flagRegion('🇹'), flagRegion('🇹🇼🇯🇵'), zonesOfFlag('taipei')]).toEqual([undefined, undefined, undefined, undefined]);
    expect(resolveTimeZone('taipei')).toEqual({ kind: 'zone', zone: 'Asia/Taipei' });
  });
});
