import { describe, expect, test } from 'vitest';
import { formatMoment } from '../../src/chat/labels.ts';

describe('a moment in the chat zone', () => {
  test.each([
    // A fixed offset (UTC+3:30, no zone Intl knows) past its midnight while UTC is still the day before, and the other way west.
    ['2026-11-25T20:45:00Z', 'UTC+3:30', 'en', '2026-11-26 00:15 (UTC+3:30)'],
    ['2026-11-26T02:00:00Z', 'UTC-3:30', 'en', '2026-11-25 22:30 (UTC-3:30)'],
    ['2026-12-31T11:30:00Z', 'UTC+12:45', 'zh-TW', '2027年1月1日 00:15（UTC+12:45）'],
    ['2026-11-25T16:30:00Z', 'Asia/Taipei', 'zh-CN', '2026年11月26日 00:30（台北时间）'],
    ['2026-11-25T16:30:00Z', 'Etc/GMT-8', 'en', '2026-11-26 00:30 (UTC+8)'],
  ] as const)('GIVEN %s in %s (%s) THEN %s', (at, zone, lang, shown) => {
    expect(formatMoment(Date.parse(at), zone, lang)).toBe(shown);
  });

  test('GIVEN a zone the runtime does not know THEN the moment in UTC, named so, never a throw', () => {
    expect(formatMoment(Date.parse('2026-11-25T20:45:00Z'), 'Mars/Olympus_Mons', 'en')).toBe('2026-11-25 20:45 (UTC)');
  });
});
