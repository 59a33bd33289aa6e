import { describe, expect, test } from 'vitest';
import {
  decideDue,
  lastCloseBefore,
  MAX_LATE_MS,
  previousDue,
  nextDue,
  nextSendingDue,
  parseDigestTime,
  parseTimeZone,
  resolveTimeZone,
  suggestTimezones,
  zoneLabel,
  zoneOffsetMs,
  zonedInstant,
} from '../../src/domain/digest-schedule.ts';
import { dateInZone } from '../../src/domain/dates.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('parseDigestTime', () => {
  test.each([
    ['08:00', '08:00'],
    ['8:05', '08:05'],
    ['23:59', '23:59'],
    ['00:00', '00:00'],
    // What people type for the same times.
    ['8', '08:00'],
    ['23', '23:00'],
    ['0830', '08:30'],
    ['08：30', '08:30'],
    ['8am', '08:00'],
    ['7:30PM', '19:30'],
    ['11 pm', '23:00'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['6 a.m.', '06:00'],
    // Noon and midnight said as words.
    ['noon', '12:00'],
    ['Noon', '12:00'],
    ['12 noon', '12:00'],
    ['midday', '12:00'],
    ['midnight', '00:00'],
    ['12 Midnight', '00:00'],
    // A question's mark at the end, as a sentence's full stop: 8am?, 早上8點？
    ['8am?', '08:00'],
    ['早上8點？', '08:00'],
    // Europe's h for the colon; minutes past or to an hour, as English says them.
    ['20h', '20:00'],
    ['20h30', '20:30'],
    ['half past 8', '08:30'],
    ['quarter to 9pm', '20:45'],
    ['quarter to 12am', '23:45'],
    ['a quarter past 7pm', '19:15'],
  ])('GIVEN %s THEN %s', (input, out) => expect(parseDigestTime(input)).toEqual({ ok: true, value: out }));
  test.each([
    ['早上8點', '08:00'],
    ['上午8點', '08:00'],
    ['晚上9點半', '21:30'],
    ['下午3:30', '15:30'],
    ['下午3点', '15:00'],
    ['20點', '20:00'],
    ['8點15分', '08:15'],
    ['8时', '08:00'],
    ['凌晨12點', '00:00'],
    ['晚上12點', '00:00'],
    ['中午12點', '12:00'],
    ['中午1點', '13:00'],
    ['下午15點', '15:00'],
    ['８點', '08:00'],
    ['０８：３０', '08:30'],
    // The hour in Chinese numerals.
    ['八點', '08:00'],
    ['晚上九點半', '21:30'],
    ['十一點', '11:00'],
    ['二十三點', '23:00'],
    ['下午兩點', '14:00'],
    ['凌晨零點', '00:00'],
    // …and its minutes.
    ['八點十五分', '08:15'],
    ['晚上八點四十五', '20:45'],
    ['八點零五分', '08:05'],
    ['八點五分', '08:05'],
    ['八點一刻', '08:15'],
    ['下午三點三刻', '15:45'],
    // The night, either side of midnight, in either script.
    ['夜里11点', '23:00'],
    ['夜裡十一點', '23:00'],
    ['深夜11點半', '23:30'],
    ['夜间10点', '22:00'],
    ['半夜12點', '00:00'],
    ['半夜1点', '01:00'],
    ['夜裡兩點', '02:00'],
    ['夜里23点', '23:00'],
    ['正午', '12:00'],
    ['中午', '12:00'],
    ['午夜', '00:00'],
    ['午夜12點', '00:00'],
    ['午夜1点', '01:00'],
  ])('GIVEN %s, as Chinese speakers write a time THEN %s', (input, out) => expect(parseDigestTime(input)).toEqual({ ok: true, value: out }));
  test.each([
    '25:00',
    '8am??x',
    '24h',
    '8h60',
    'half to 9',
    'half past 8:30',
    '24:00',
    '08:60',
    '08:00:00',
    '',
    'now',
    '830',
    '13pm',
    '0am',
    '24',
    '2400',
    '8:5',
    '-1',
    '早上13點',
    '晚上25點',
    '8點61分',
    '八點六十分',
    '八點二刻',
    '中午5點',
    '點',
    '二十五點',
    '十十點',
    '早上',
    '8點鐘頭',
    'noon2',
    '1 midnight',
  ])('GIVEN %s THEN refused', (input) => expect(parseDigestTime(input).ok).toBe(false));
});

describe('parseTimeZone', () => {
  test.each([
    ['Asia/Taipei', 'Asia/Taipei'],
    ['UTC', 'UTC'],
    ['Europe/London', 'Europe/London'],
    ['asia/taipei', 'Asia/Taipei'],
    // A place: an IANA zone's city written any way, or a city or country in Chinese or English.
    ['taipei', 'Asia/Taipei'],
    ['TAIPEI', 'Asia/Taipei'],
    ['台北', 'Asia/Taipei'],
    ['臺灣', 'Asia/Taipei'],
    // A city with its 市, as Taiwan and the mainland write a city's name (台北市, 上海市), and its clock so named.
    ['台北市', 'Asia/Taipei'],
    ['臺北市', 'Asia/Taipei'],
    ['高雄市', 'Asia/Taipei'],
    ['上海市', 'Asia/Shanghai'],
    ['北京市时间', 'Asia/Shanghai'],
    ['new_york', 'America/New_York'],
    ['newyork', 'America/New_York'],
    ['New-York', 'America/New_York'],
    ['hongkong', 'Asia/Hong_Kong'],
    ['香港', 'Asia/Hong_Kong'],
    ['北京', 'Asia/Shanghai'],
    ['beijing', 'Asia/Shanghai'],
    ['東京', 'Asia/Tokyo'],
    ['紐約', 'America/New_York'],
    ['uk', 'Europe/London'],
    ['sao_paulo', 'America/Sao_Paulo'],
    // By its current IANA name, however it is typed: the runtime's own still says Asia/Calcutta, Europe/Kiev.
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['asia/calcutta', 'Asia/Kolkata'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['kyiv', 'Europe/Kyiv'],
    ['saigon', 'Asia/Ho_Chi_Minh'],
    ['Asia/Ho_Chi_Minh', 'Asia/Ho_Chi_Minh'],
    ['America/Indianapolis', 'America/Indiana/Indianapolis'],
    // A zone tzdata merged into another is no rename: kept as typed.
    ['Europe/Bratislava', 'Europe/Bratislava'],
  ])('GIVEN %s THEN %s', (input, out) => expect(parseTimeZone(input)).toEqual({ ok: true, value: out }));
  test.each(['Mars/Base', 'Asia/Nowhere', '', '../etc/passwd', 'Asia Taipei', '台', '美國', 'Asia/Taipie', 'tokio', '市', '美國市'])(
    'GIVEN %s THEN refused',
    (input) => expect(parseTimeZone(input).ok).toBe(false),
  );
  test.each([
    ['Asia/Taipie', 'Asia/Taipei'],
    ['taipie', 'Asia/Taipei'],
    ['tokio', 'Asia/Tokyo'],
    ['Europe/Londn', 'Europe/London'],
    ['singapur', 'Asia/Singapore'],
    ['Asia/Kolkat', 'Asia/Kolkata'],
    ['Europe/Kyvi', 'Europe/Kyiv'],
  ])('GIVEN the misspelt %s THEN refused, with %s as the zone it most likely meant', (input, nearest) =>
    expect(resolveTimeZone(input)).toEqual({ kind: 'unknown', nearest }),
  );
  test.each(['Mars/Base', 'foo', 'xy', '台', '../etc/passwd', `Asia/${'x'.repeat(3000)}`])('GIVEN %s THEN refused with no guess', (input) =>
    expect(resolveTimeZone(input)).toEqual({ kind: 'unknown' }),
  );
  // A fixed offset as people type one: the Etc zone of it, whose sign POSIX inverts (UTC+8 is Etc/GMT-8).
  test.each([
    ['UTC+8', 'Etc/GMT-8'],
    ['GMT+8', 'Etc/GMT-8'],
    ['utc+08:00', 'Etc/GMT-8'],
    ['UTC-5', 'Etc/GMT+5'],
    ['GMT-05:00', 'Etc/GMT+5'],
    ['UTC+14', 'Etc/GMT-14'],
    ['UTC−3', 'Etc/GMT+3'],
    ['ＵＴＣ＋８', 'Etc/GMT-8'],
    ['+8', 'Etc/GMT-8'],
    ['UTC+0', 'UTC'],
    // As Chinese names an hour belt, in either script.
    ['东八区', 'Etc/GMT-8'],
    ['東八區', 'Etc/GMT-8'],
    ['东8区', 'Etc/GMT-8'],
    ['西五区', 'Etc/GMT+5'],
    ['東九時區', 'Etc/GMT-9'],
    ['东十二区', 'Etc/GMT-12'],
    ['零时区', 'UTC'],
  ])('GIVEN the fixed offset %s THEN %s', (input, zone) => expect(resolveTimeZone(input)).toEqual({ kind: 'zone', zone }));
  test.each(['东十五区', '西十三区', '东区', '八区'])('GIVEN %s (no hour belt a clock keeps) THEN refused', (input) =>
    expect(resolveTimeZone(input).kind).toBe('unknown'),
  );
  test.each(['UTC+15', 'GMT-13', 'UTC+8:60', 'UTC++8'])('GIVEN %s (no whole-hour Etc zone) THEN refused', (input) =>
    expect(resolveTimeZone(input).kind).toBe('unknown'),
  );
  // No Etc zone holds a half- or quarter-hour offset: it is its own zone, named as people write it, whatever they typed.
  test.each([
    ['UTC+3:30', 'UTC+3:30'],
    ['utc+03:30', 'UTC+3:30'],
    ['GMT+5:45', 'UTC+5:45'],
    ['UTC-3:30', 'UTC-3:30'],
    ['UTC−3:30', 'UTC-3:30'],
    ['+0930', 'UTC+9:30'],
    ['+05:30', 'UTC+5:30'],
    ['UTC+0530', 'UTC+5:30'],
    ['GMT+05:30', 'UTC+5:30'],
    ['UTC + 5:30', 'UTC+5:30'],
    ['ＵＴＣ＋５：３０', 'UTC+5:30'],
    ['＋３：３０', 'UTC+3:30'],
    ['UTC+4:30', 'UTC+4:30'],
    ['UTC+6:30', 'UTC+6:30'],
    ['UTC+8:45', 'UTC+8:45'],
    ['UTC+10:30', 'UTC+10:30'],
    ['UTC+12:45', 'UTC+12:45'],
    ['UTC+13:45', 'UTC+13:45'],
    ['UTC-9:30', 'UTC-9:30'],
    ['UTC-2:30', 'UTC-2:30'],
    ['＋８：００', 'Etc/GMT-8'],
  ])('GIVEN the offset %s THEN the zone %s', (input, zone) => expect(resolveTimeZone(input)).toEqual({ kind: 'zone', zone }));
  test('a half- or quarter-hour offset keeps its offset every month and is named as written; whole hours keep their Etc zone', () => {
    for (const [zone, hours] of [
      ['UTC+3:30', 3.5],
      ['UTC-3:30', -3.5],
      ['UTC+5:45', 5.75],
      ['UTC+12:45', 12.75],
    ] as const) {
      for (let month = 0; month < 12; month++) expect(zoneOffsetMs(Date.UTC(2026, month, 15), zone), `${zone} in month ${month + 1}`).toBe(hours * 3_600_000);
      expect(zoneLabel(zone)).toBe(zone);
    }
    // 08:00 at UTC+3:30 is 04:30 UTC; at UTC-3:30, 11:30 UTC; the local date rolls over with the offset.
    expect(iso(zonedInstant('2026-11-25', '08:00', 'UTC+3:30'))).toBe('2026-11-25T04:30:00.000Z');
    expect(iso(zonedInstant('2026-11-25', '08:00', 'UTC-3:30'))).toBe('2026-11-25T11:30:00.000Z');
    expect(dateInZone(new Date('2026-11-25T20:30:00Z'), 'UTC+3:30')).toBe('2026-11-26');
    expect(dateInZone(new Date('2026-11-25T20:29:00Z'), 'UTC+3:30')).toBe('2026-11-25');
    expect(dateInZone(new Date('2026-11-26T03:29:00Z'), 'UTC-3:30')).toBe('2026-11-25');
    expect(nextDue(Date.parse('2026-11-25T04:30:00Z'), '08:00', 'UTC+3:30')).toEqual({ at: Date.parse('2026-11-26T04:30:00Z'), localDate: '2026-11-26' });
  });
  // Offsets no clock keeps, or not offsets at all, are refused as offsets.
  test.each(['UTC+15', 'UTC+3:07', '+25:00', 'UTC+5:15', 'UTC+3:45', 'UTC-12:30', 'UTC+14:30'])(
    'GIVEN %s (no clock keeps it) THEN refused as an offset',
    (input) => expect(resolveTimeZone(input)).toEqual({ kind: 'unknown', offset: true }),
  );
  test.each([
    ['asia/tehran', 'Asia/Tehran'],
    ['ASIA/KATHMANDU', 'Asia/Kathmandu'],
    ['australia/adelaide', 'Australia/Adelaide'],
    ['asia/katmandu', 'Asia/Kathmandu'],
  ])('GIVEN the IANA name %s in any case THEN %s', (input, zone) => expect(resolveTimeZone(input)).toEqual({ kind: 'zone', zone }));
  // Tehran, Mumbai, Adelaide, Kathmandu and Newfoundland as their people name them.
  test.each([
    ['IRST', 'Asia/Tehran'],
    ['德黑蘭', 'Asia/Tehran'],
    ['伊朗', 'Asia/Tehran'],
    ['NPT', 'Asia/Kathmandu'],
    ['加德滿都', 'Asia/Kathmandu'],
    ['尼泊尔', 'Asia/Kathmandu'],
    ['ACDT', 'Australia/Adelaide'],
    ['阿德萊德', 'Australia/Adelaide'],
    ['阿德莱德', 'Australia/Adelaide'],
    ['孟買', 'Asia/Kolkata'],
    ['Bombay', 'Asia/Kolkata'],
    ['New Delhi', 'Asia/Kolkata'],
    ['NST', 'America/St_Johns'], // not Pacific/Auckland, the runtime's old alias
    ['Newfoundland', 'America/St_Johns'],
    // The runtime's old Java ids name other clocks: ART is Argentina's, not Cairo's; VST Venezuela's, not Vietnam's.
    ['ART', 'America/Argentina/Buenos_Aires'],
    ['VST', 'America/Caracas'],
    ['ECT', 'America/Guayaquil'],
    ['PKT', 'Asia/Karachi'],
  ])('GIVEN %s THEN %s', (input, zone) => expect(resolveTimeZone(input)).toEqual({ kind: 'zone', zone }));
  test.each([
    ['AST', ['America/Halifax', 'Asia/Riyadh']],
    ['SST', ['Pacific/Pago_Pago', 'Asia/Singapore']],
    ['ACT', ['America/Rio_Branco', 'Australia/Sydney']],
  ])('GIVEN %s (the runtime reads it as an unrelated zone) THEN asked among %j', (input, choices) =>
    expect(resolveTimeZone(input)).toEqual({ kind: 'ambiguous', abbreviation: input, choices }),
  );
  test('GIVEN ACST (Adelaide, which changes its clocks, and Darwin, which does not) THEN asked which', () =>
    expect(resolveTimeZone('acst')).toEqual({ kind: 'ambiguous', abbreviation: 'ACST', choices: ['Australia/Adelaide', 'Australia/Darwin'] }));
  test('an autocomplete offers the Etc zone of a fixed offset being typed first', () => {
    expect(suggestTimezones('UTC+8')[0]).toBe('Etc/GMT-8');
    expect(suggestTimezones('gmt-5')[0]).toBe('Etc/GMT+5');
    expect(suggestTimezones('东八区')[0]).toBe('Etc/GMT-8');
  });
  test('an autocomplete finds a zone by a place being typed in Chinese', () => {
    expect(suggestTimezones('台')[0]).toBe('Asia/Taipei');
    expect(suggestTimezones('東京')).toEqual(['Asia/Tokyo']);
  });
});

describe('zonedInstant and nextDue', () => {
  test('Asia/Taipei 08:00 is 00:00 UTC the same day', () => {
    expect(iso(zonedInstant('2026-11-25', '08:00', 'Asia/Taipei'))).toBe('2026-11-25T00:00:00.000Z');
  });
  test('America/New_York 08:00 is 13:00 UTC in winter and 12:00 UTC in summer', () => {
    expect(iso(zonedInstant('2026-03-06', '08:00', 'America/New_York'))).toBe('2026-03-06T13:00:00.000Z');
    expect(iso(zonedInstant('2026-03-09', '08:00', 'America/New_York'))).toBe('2026-03-09T12:00:00.000Z');
  });
  test('a time skipped by spring forward moves forward by the gap; a repeated one is its first occurrence', () => {
    expect(iso(zonedInstant('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedInstant('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(zonedInstant('2026-03-29', '01:30', 'Europe/London'))).toBe('2026-03-29T01:30:00.000Z'); // 01:30 GMT does not exist: 02:30 BST
    expect(iso(zonedInstant('2026-10-25', '01:30', 'Europe/London'))).toBe('2026-10-25T00:30:00.000Z');
  });
  test('nextDue is strictly after the instant, on the right local date', () => {
    const at = zonedInstant('2026-11-25', '08:00', 'Asia/Taipei');
    expect(nextDue(at - 1, '08:00', 'Asia/Taipei')).toEqual({ at, localDate: '2026-11-25' });
    expect(nextDue(at, '08:00', 'Asia/Taipei')).toEqual({ at: at + 86_400_000, localDate: '2026-11-26' });
    // Over the London DST change the UTC instant moves an hour, the local time stays.
    const sat = zonedInstant('2026-03-28', '09:00', 'Europe/London');
    expect(iso(sat)).toBe('2026-03-28T09:00:00.000Z');
    expect(iso(nextDue(sat, '09:00', 'Europe/London').at)).toBe('2026-03-29T08:00:00.000Z');
  });
});

describe('decideDue', () => {
  // Wednesday 08:00 Asia/Taipei = Tuesday 19:00 New York: Tuesday's close (21:00 UTC) is in the window.
  const taipei = (d: string) => ({ dueMs: Date.parse(`${d}T00:00:00Z`), prevDueMs: Date.parse(`${d}T00:00:00Z`) - 86_400_000 });
  const due = taipei('2026-11-25');
  test.each([
    [
      'a new close since the last digest',
      { ...due, nowMs: due.dueMs, lastClose: '2026-11-24', lastSentClose: '2026-11-23' },
      { kind: 'send', closeDate: '2026-11-24' },
    ],
    ['the first digest of a chat', { ...due, nowMs: due.dueMs, lastClose: '2026-11-24', lastSentClose: null }, { kind: 'send', closeDate: '2026-11-24' }],
    ['that close already sent', { ...due, nowMs: due.dueMs, lastClose: '2026-11-24', lastSentClose: '2026-11-24' }, { kind: 'no-close' }],
    [
      'the close is due but not in the store yet (the close job late or failing): it waits',
      { ...due, nowMs: due.dueMs, lastClose: '2026-11-23', lastSentClose: null },
      { kind: 'wait', closeDate: '2026-11-24' },
    ],
    [
      'still waiting for it 5 hours on',
      { ...due, nowMs: due.dueMs + 5 * 3_600_000, lastClose: '2026-11-23', lastSentClose: null, waiting: true },
      { kind: 'wait', closeDate: '2026-11-24' },
    ],
    [
      'waited 6 hours in vain: it goes out with the closes there are',
      { ...due, nowMs: due.dueMs + 6 * 3_600_000, lastClose: '2026-11-23', lastSentClose: '2026-11-23', waiting: true },
      { kind: 'without', closeDate: '2026-11-24', lastClose: '2026-11-23' },
    ],
    [
      'waited 7 hours and the close came: it goes out (a wait, not a bot that was down)',
      { ...due, nowMs: due.dueMs + 7 * 3_600_000, lastClose: '2026-11-24', lastSentClose: '2026-11-23', waiting: true },
      { kind: 'send', closeDate: '2026-11-24' },
    ],
    [
      'Tuesday 15:00 New York sent at 17:45 (the bot down), Tuesday’s close stored meanwhile: the digest is of that newest close',
      {
        dueMs: Date.parse('2026-11-24T20:00:00Z'),
        prevDueMs: Date.parse('2026-11-23T20:00:00Z'),
        nowMs: Date.parse('2026-11-24T22:45:00Z'),
        lastClose: '2026-11-24',
        lastSentClose: '2026-11-20',
      },
      { kind: 'send', closeDate: '2026-11-24' },
    ],
    [
      'Sunday 08:00 Taipei (Saturday in New York)',
      { ...taipei('2026-11-22'), nowMs: taipei('2026-11-22').dueMs, lastClose: '2026-11-20', lastSentClose: null },
      { kind: 'no-close' },
    ],
    [
      'Monday 08:00 Taipei (Sunday in New York)',
      { ...taipei('2026-11-23'), nowMs: taipei('2026-11-23').dueMs, lastClose: '2026-11-20', lastSentClose: null },
      { kind: 'no-close' },
    ],
    [
      // It waited for a close of 01-09 six hours, then said "the US close of 2025-01-09 has not reached the bot yet".
      'Friday 08:00 Taipei after the exchange shut for President Carter (no close on 2025-01-09), 01-08 sent',
      { ...taipei('2025-01-10'), nowMs: taipei('2025-01-10').dueMs, lastClose: '2025-01-08', lastSentClose: '2025-01-08' },
      { kind: 'no-close' },
    ],
    [
      'Tuesday 08:00 Taipei on 9/11 +7 (the exchange shut 09-11 to 09-14): the reopening close of 09-17 goes out',
      { ...taipei('2001-09-18'), nowMs: taipei('2001-09-18').dueMs, lastClose: '2001-09-17', lastSentClose: '2001-09-10' },
      { kind: 'send', closeDate: '2001-09-17' },
    ],
    [
      'Friday 08:00 Taipei after Thanksgiving (no close on 2026-11-26)',
      { ...taipei('2026-11-27'), nowMs: taipei('2026-11-27').dueMs, lastClose: '2026-11-25', lastSentClose: '2026-11-24' },
      { kind: 'no-close' },
    ],
    [
      'Thanksgiving 18:00 New York',
      {
        dueMs: Date.parse('2026-11-26T23:00:00Z'),
        prevDueMs: Date.parse('2026-11-25T23:00:00Z'),
        nowMs: Date.parse('2026-11-26T23:00:00Z'),
        lastClose: '2026-11-25',
        lastSentClose: '2026-11-25',
      },
      { kind: 'no-close' },
    ],
    ['3 hours late', { ...due, nowMs: due.dueMs + 3 * 3_600_000, lastClose: '2026-11-24', lastSentClose: null }, { kind: 'send', closeDate: '2026-11-24' }],
    [
      'exactly 6 hours late',
      { ...due, nowMs: due.dueMs + MAX_LATE_MS, lastClose: '2026-11-24', lastSentClose: null },
      { kind: 'send', closeDate: '2026-11-24' },
    ],
    ['7 hours late', { ...due, nowMs: due.dueMs + 7 * 3_600_000, lastClose: '2026-11-24', lastSentClose: null }, { kind: 'too-late', lateMs: 7 * 3_600_000 }],
  ])('GIVEN %s', (_name, input, out) => expect(decideDue(input)).toEqual(out));

  test('the previous slot is the same local time the day before, across a DST change', () => {
    expect(new Date(previousDue(Date.parse('2026-03-09T12:00:00Z'), '08:00', 'America/New_York')).toISOString()).toBe('2026-03-08T12:00:00.000Z');
    expect(new Date(previousDue(Date.parse('2026-03-08T12:00:00Z'), '08:00', 'America/New_York')).toISOString()).toBe('2026-03-07T13:00:00.000Z');
    expect(lastCloseBefore(Date.parse('2026-11-27T00:00:00Z'))).toBe('2026-11-25');
    expect(lastCloseBefore(Date.parse('2026-11-24T21:00:00Z'))).toBe('2026-11-24');
    expect(lastCloseBefore(Date.parse('2026-11-24T20:59:59Z'))).toBe('2026-11-23');
  });
});

describe('nextSendingDue', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  test.each([
    // [slot's next due, time, zone, last close sent, the digest that comes]
    [
      '2026-11-26T23:00:00Z',
      '18:00',
      'America/New_York',
      null,
      '2026-11-27T23:00:00.000Z',
      'Thanksgiving evening: no close, Friday’s (an early close) the next',
    ],
    [
      '2026-11-28T23:00:00Z',
      '07:00',
      'Asia/Taipei',
      null,
      '2026-11-30T23:00:00.000Z',
      'Sunday 07:00 Taipei: the weekend skipped, Tuesday’s 07:00 speaks of Monday',
    ],
    ['2026-03-07T23:00:00Z', '07:00', 'Asia/Taipei', null, '2026-03-09T23:00:00.000Z', 'the DST weekend: Tuesday 07:00 Taipei, Monday 18:00 EDT'],
    ['2026-11-21T08:00:00Z', '08:00', 'UTC', null, '2026-11-21T08:00:00.000Z', 'Saturday 08:00 UTC: Friday’s close came since Friday’s 08:00'],
    ['2026-11-21T08:00:00Z', '08:00', 'UTC', '2026-11-20', '2026-11-24T08:00:00.000Z', 'the same, Friday’s digest already sent (a time moved): Tuesday’s'],
    ['2026-11-20T21:30:00Z', '16:30', 'America/New_York', null, '2026-11-20T21:30:00.000Z', 'a slot after 16:00: that day’s close (waited for past 17:30)'],
  ] as const)('GIVEN the slot at %s (%s %s, last sent %s) THEN %s: %s', (due, time, zone, last, expected, _why) => {
    expect(iso(nextSendingDue(Date.parse(due), time, zone, last))).toBe(expected);
  });
});

describe('suggestTimezones', () => {
  test('empty prefix: the common zones first, at most 25', () => {
    const s = suggestTimezones('');
    expect(s.slice(0, 7)).toEqual(['Asia/Taipei', 'Asia/Hong_Kong', 'Asia/Shanghai', 'Asia/Singapore', 'America/New_York', 'Europe/London', 'UTC']);
    expect(s.length).toBe(25);
  });
  test('a prefix, case-insensitive; a city name finds its zone', () => {
    expect(suggestTimezones('asia/t').slice(0, 3)).toEqual(['Asia/Taipei', 'Asia/Tashkent', 'Asia/Tbilisi']);
    expect(suggestTimezones('taipei')).toEqual(['Asia/Taipei']);
    expect(suggestTimezones('new york')).toEqual(['America/New_York']);
    expect(suggestTimezones('Mars/')).toEqual([]);
    expect(suggestTimezones('a').length).toBeLessThanOrEqual(25);
  });
  test('GIVEN a zone typed in full-width letters, as a Chinese IME in full-width mode types it THEN suggested and read as typed in ASCII', () => {
    expect(suggestTimezones('ｔａｉｐｅｉ')).toEqual(['Asia/Taipei']);
    expect(suggestTimezones('ａｓｉａ／ｔａ')[0]).toBe('Asia/Taipei');
    expect(suggestTimezones('ｎｅｗ　ｙｏｒｋ')).toEqual(['America/New_York']);
    expect(suggestTimezones('ＥＳＴ')[0]).toBe('America/New_York');
    expect(resolveTimeZone('ＥＳＴ')).toEqual({ kind: 'zone', zone: 'America/New_York' });
    expect(resolveTimeZone('ｃｓｔ')).toEqual(resolveTimeZone('CST'));
    expect(resolveTimeZone('Ａｓｉａ／Ｔａｉｐｅｉ')).toEqual({ kind: 'zone', zone: 'Asia/Taipei' });
    expect(resolveTimeZone('Ａｓｉａ／Ｔａｉｐｉｅ')).toEqual({ kind: 'unknown', nearest: 'Asia/Taipei' });
  });
});
