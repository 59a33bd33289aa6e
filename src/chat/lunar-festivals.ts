/**
 * The Dragon Boat Festival (端午, the 5th day of the 5th lunar month) and the Mid-Autumn Festival (中秋,
 * the 15th of the 8th) in the coming years, as Taiwan's and China's calendars print them: a table, as
 * Lunar New Year's is (chat/mute-day.ts), to 2050, each date checked against ICU's Chinese calendar
 * (tests/chat/lunar-festivals.test.ts, `Intl.DateTimeFormat('zh-TW-u-ca-chinese')`, a leap month never
 * taken for the month itself). Past the last, a mute to one is refused as passed, never guessed.
 */
export const DRAGON_BOAT = [
  '2026-06-19',
  '2027-06-09',
  '2028-05-28',
  '2029-06-16',
  '2030-06-05',
  '2031-06-24',
  '2032-06-12',
  '2033-06-01',
  '2034-06-20',
  '2035-06-10',
  '2036-05-30',
  '2037-06-18',
  '2038-06-07',
  '2039-05-27',
  '2040-06-14',
  '2041-06-03',
  '2042-06-22',
  '2043-06-11',
  '2044-05-31',
  '2045-06-19',
  '2046-06-08',
  '2047-05-29',
  '2048-06-15',
  '2049-06-04',
  '2050-06-23',
] as const;

export const MID_AUTUMN = [
  '2026-09-25',
  '2027-09-15',
  '2028-10-03',
  '2029-09-22',
  '2030-09-12',
  '2031-10-01',
  '2032-09-19',
  '2033-09-08',
  '2034-09-27',
  '2035-09-16',
  '2036-10-04',
  '2037-09-24',
  '2038-09-13',
  '2039-10-02',
  '2040-09-20',
  '2041-09-10',
  '2042-09-28',
  '2043-09-17',
  '2044-10-05',
  '2045-09-25',
  '2046-09-15',
  '2047-10-04',
  '2048-09-22',
  '2049-09-11',
  '2050-09-30',
] as const;

/** 端午 / 中秋 (节, 節), Dragon Boat, Mid-Autumn or the Moon Festival as typed (folded, lower case): its dates, or undefined. */
export function lunarFestival(x: string): readonly string[] | undefined {
  if (/^(?:端午(?:節|节)?|(?:the )?dragon ?boat(?: festival)?|duanwu)$/.test(x)) return DRAGON_BOAT;
  if (/^(?:中秋(?:節|节)?|(?:the )?mid-?autumn(?: festival)?|(?:the )?moon ?festival)$/.test(x)) return MID_AUTUMN;
  return undefined;
}
