/**
 * Numbers written in Chinese numerals, as people type a count, an hour or a span: 八, 十一, 二十三, 兩,
 * 一百, 一百二十, 兩百五十, 一百零五, 一千二百六十; a decimal (零點五) and a percent (百分之五十, 百分之百). Pure.
 */
const DIGITS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 兩: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const ZERO = /^[零〇]$/;
/** Twenty and thirty in one character, as dates and counts still write them (廿五天, 卅天): 二十 and 三十. */
const TENS_IN_ONE = /[廿卅]/g;
const spellTens = (s: string): string => s.replace(TENS_IN_ONE, (c) => (c === '廿' ? '二十' : '三十'));
/** The characters a number in Chinese numerals is written with, for a pattern to find one: `[${HAN_NUMERALS}]+`. */
export const HAN_NUMERALS = '〇零一二兩两三四五六七八九十廿卅百千';
/** A digit of any script or a Chinese numeral: what a typed date or count has somewhere (`2020`, `๒๐`, `去年三月`). */
export const HAS_NUMERAL = new RegExp(`[\\p{Nd}${HAN_NUMERALS}]`, 'u');

/**
 * 0 to 9999 written in Chinese numerals, or undefined (`十十`, `百`, `二十三四`, digits), 廿 (20) and 卅 (30) too. The places
 * from the largest: 一千二百六十 (1260); 零 where places are skipped (一百零五 is 105, 一千零五十
 * 1050); 十 alone for one ten (十八, and 一百十 as 一百一十); and a digit after 百 or 千 with nothing
 * between, as people say the next place (一百五 is 150, 兩百五 250, 一千二 1200).
 */
export function hanNumber(typed: string): number | undefined {
  if (ZERO.test(typed)) return 0;
  // 廿 and 卅 as the two characters they stand for (廿五 is 二十五); 一百廿 then reads as 一百二十.
  const s = spellTens(typed);
  let total = 0;
  let last = Number.POSITIVE_INFINITY;
  let digit: number | undefined;
  let zero = false;
  for (const ch of s) {
    const d = DIGITS[ch];
    const unit = UNITS[ch];
    if (d !== undefined) {
      if (digit !== undefined) return undefined;
      digit = d;
    } else if (ZERO.test(ch)) {
      // 零 fills skipped places after a unit, once: never first (零五), twice or after a digit.
      if (digit !== undefined || zero || last === Number.POSITIVE_INFINITY) return undefined;
      zero = true;
    } else if (unit !== undefined) {
      // Places from the largest down, each once; 百 and 千 need their digit (百 alone is no count), 十 may stand for 一十.
      if (unit >= last || (digit === undefined && unit !== 10) || (zero && unit === last / 10)) return undefined;
      total += (digit ?? 1) * unit;
      last = unit;
      digit = undefined;
      zero = false;
    } else return undefined;
  }
  if (digit === undefined) return zero || last === Number.POSITIVE_INFINITY ? undefined : total;
  // A last digit is the ones after 十 or 零 (or alone), else the place below the last unit (一百五: 150).
  return total + (zero || last === Number.POSITIVE_INFINITY || last === 10 ? digit : (digit * last) / 10);
}

/**
 * A decimal in Chinese numerals: the whole part as hanNumber reads it, then 點 (点) and one digit a
 * place: 零點五 (0.5), 一點二五 (1.25), 十二點五 (12.5); a whole number too (五十). Else undefined
 * (點五 with no whole part, 一點 with none after it, 一點十).
 */
export function hanDecimal(s: string): number | undefined {
  const [whole, fraction, ...more] = s.split(/[點点]/);
  const w = hanNumber(whole ?? '');
  if (w === undefined || more.length > 0) return undefined;
  if (fraction === undefined) return w;
  let digits = '';
  for (const ch of fraction) {
    // 兩 is a count of two, never a digit read out after the point.
    const d = ZERO.test(ch) ? 0 : ch === '兩' || ch === '两' ? undefined : DIGITS[ch];
    if (d === undefined) return undefined;
    digits += String(d);
  }
  return digits === '' ? undefined : Number(`${w}.${digits}`);
}

/**
 * A percent written the Chinese way, 百分之 and its number: 百分之五十 (50), 百分之百 and 百分之一百
 * (100), 百分之零點五 (百分之零点五, 0.5), 百分之15. The number, or undefined when `s` is no such percent.
 */
export function hanPercent(s: string): number | undefined {
  const rest = /^百分之\s*(.+)$/.exec(s)?.[1];
  if (rest === undefined) return undefined;
  // 百分之百: "a hundred parts of a hundred", the one place 百 stands without its digit.
  if (rest === '百') return 100;
  return /^(\d+\.?\d*|\.\d+)$/.test(rest) ? Number(rest) : hanDecimal(rest);
}

/**
 * Text written as a percent (`50%`, `50 pct`, `fifty percent`, `五十％`, `百分之五十`): where no percent makes sense (a
 * level, a span of days) it is refused as one, not as no number at all. After numberText's fold.
 */
const PERCENT_TEXT = new RegExp(`^百分之|(?:\\d|[${HAN_NUMERALS}點点])\\s*(?:[%％]|per\\s*cent|pct)$`, 'i');
export const isPercentText = (s: string): boolean => PERCENT_TEXT.test(englishNumbers(s).trim());

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

/**
 * Counts said without a number before a unit: `a couple of hours`, `couple days` (2) and `a few days`
 * (3); in Chinese, 幾 (几) before its unit, as Chinese says a few: 幾天, 幾個月, 几周, 幾小時, 幾個交易日 (3).
 * A few is no exact count: whatever reads it as 3 says so back, naming the word typed (fewSaid).
 */
const COUPLE = /\b(?:an?\s+)?couple(?:\s+of)?(?=\s+[a-z])/gi;
const A_FEW = /\ba\s+few(?=\s+[a-z])/gi;
/**
 * 幾 before a unit of time (個 between or not). Never after a number (十幾天 is ten-odd days, 二十幾年 twenty-odd
 * years: no count to read) nor after 好 (好幾天, quite a few: several, which is no count either); never before
 * a percent (幾%, 幾個百分點: no size to alert at) or anything but a unit of time. Months only with 個 (幾個月):
 * 幾月 asks which month, as 3月 is March (chat/parse-mute.ts and chat/parse.ts refuse it: whichMonth).
 */
const HAN_FEW = new RegExp(
  `(?<![\\p{Nd}${HAN_NUMERALS}好])[幾几](?=\\s*(?:個|个)?\\s*(?:天|日|週|周|星期|禮拜|礼拜|年|小時|小时|鐘頭|钟头|分鐘|分钟|季|交易|工作|營業|营业)|\\s*(?:個|个)\\s*月)`,
  'gu',
);
/** What `a few` is read as. */
export const A_FEW_COUNT = 3;
/**
 * The word for a few that text says before a unit (`a few days`, `A few weeks`, `幾天`, `几个月`), as typed
 * (spaces made one), which englishCounts reads as A_FEW_COUNT; undefined when it says none.
 */
export function fewSaid(text: string): string | undefined {
  const said = new RegExp(A_FEW.source, 'i').exec(text) ?? new RegExp(HAN_FEW.source, 'u').exec(text);
  return said === null ? undefined : said[0].replace(/\s+/g, ' ');
}

/** Text with its English numbers spelt out as digits (`ten percent` → `10 percent`), where a vague count makes no sense (a percent). */
export const englishNumbers = (text: string): string => text.replace(ENGLISH_COUNT, (w) => String(ENGLISH[w.toLowerCase()]));

/**
 * Text with its spoken counts spelt out as digits (`two hours` → `2 hours`, `a couple of days` → `2 days`, `a few
 * weeks` and `幾週` → 3 of them); other words as they were.
 */
export const englishCounts = (text: string): string =>
  englishNumbers(text.replace(COUPLE, '2').replace(A_FEW, String(A_FEW_COUNT)).replace(HAN_FEW, String(A_FEW_COUNT)));
