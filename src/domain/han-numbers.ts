/** Small numbers written in Chinese numerals, as people type a count or an hour: 八, 十, 十一, 二十三, 兩. Pure. */
const DIGITS: Readonly<Record<string, number>> = { 零: 0, 一: 1, 二: 2, 兩: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const SHAPE = /^(?:([一二兩两三四五六七八九])?(十))?([零一二兩两三四五六七八九])?$/;

/** 0 to 99 written in Chinese numerals, or undefined (`十十`, `百`, digits). */
export function hanNumber(s: string): number | undefined {
  const m = SHAPE.exec(s);
  if (m === null || (m[2] === undefined && m[3] === undefined)) return undefined;
  const tens = m[2] === undefined ? 0 : m[1] === undefined ? 1 : DIGITS[m[1]]!;
  return tens * 10 + (m[3] === undefined ? 0 : DIGITS[m[3]]!);
}

/** A count typed in digits (`18`) or in Chinese numerals (`十八`), or undefined. */
export const countOf = (s: string): number | undefined => (/^\d+$/.test(s) ? Number(s) : hanNumber(s));

/** English counts people spell out for a length or a span (`two hours`, `five years`), one to twenty and the tens. */
const ENGLISH: Readonly<Record<string, number>> = Object.fromEntries(
  [
    'one',
    'two',
    'three',
    'four',
    'five',
    'six',
    'seven',
    'eight',
    'nine',
    'ten',
    'eleven',
    'twelve',
    'thirteen',
    'fourteen',
    'fifteen',
    'sixteen',
    'seventeen',
    'eighteen',
    'nineteen',
    'twenty',
  ].map((w, i) => [w, i + 1]),
);
Object.assign(ENGLISH, { thirty: 30, forty: 40, fifty: 50, sixty: 60, ninety: 90 });
const ENGLISH_COUNT = new RegExp(`\\b(${Object.keys(ENGLISH).join('|')})\\b`, 'gi');

/** Text with its English counts spelt out as digits (`two hours` → `2 hours`); other words as they were. */
export const englishCounts = (text: string): string => text.replace(ENGLISH_COUNT, (w) => String(ENGLISH[w.toLowerCase()]));
