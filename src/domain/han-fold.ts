/**
 * How typed text is folded before it is read: full-width forms as ASCII (below, before halfWidth),
 * and Traditional and Simplified Chinese as one script, where typed words are compared with the
 * bot's word lists: a mainland reader types 标普, 最近三个月 and 繁体 where the lists (or the
 * README) say 標普, 最近三個月 and 繁體, a Taiwanese one the other way round, and either may mix
 * the two (标普500指數). Each Traditional character of the words goldratio reads becomes its
 * Simplified twin, on both sides of the comparison; only characters, never words (矽谷 and 硅谷,
 * 雪梨 and 悉尼 stay words of the lists). Pure.
 */

/** Traditional characters (TRAD[i]) and their Simplified twins (SIMP[i]). */
const TRAD =
  '開說圖購買歷狀態訂閱靜語標數黃納達關閉兩個現馬來長體臺灣園門廣國東爾韓亞倫蘭蘇紐約磯舊溫華號週過間點時鐘頭禮從價' +
  '報幫簡擾漲區設刪與後為這請單變轉結線萬億幣錢讀預覽訊動計場內離複復雙選項啟連錯誤氣極強壓撐寬鬆準據資儲發曆齊滿歲題';
const SIMP =
  '开说图购买历状态订阅静语标数黄纳达关闭两个现马来长体台湾园门广国东尔韩亚伦兰苏纽约矶旧温华号周过间点时钟头礼从价' +
  '报帮简扰涨区设删与后为这请单变转结线万亿币钱读预览讯动计场内离复复双选项启连错误气极强压撑宽松准据资储发历齐满岁题';

const TO_SIMPLIFIED: ReadonlyMap<string, string> = new Map([...TRAD].map((c, i) => [c, [...SIMP][i]!]));

/** The Traditional characters the fold knows, with their Simplified twins (for the tests). */
export const HAN_TWINS: ReadonlyMap<string, string> = TO_SIMPLIFIED;

/** `s` with each known Traditional character as its Simplified twin: 最近三個月 → 最近三个月. */
export const simplified = (s: string): string => s.replace(/\p{Script=Han}/gu, (c) => TO_SIMPLIFIED.get(c) ?? c);

/**
 * Full-width forms, the two layers that read them, said here once:
 * - halfWidth, a command line's frame (chat/command-words.ts commandAtStart, Telegram's inline
 *   query): the slash, the name and what parts it from its words, as a Chinese IME types them
 *   (`／ｒａｔｉｏ，ｓｐｘ`). It folds only full-width ASCII and the ideographic space, which have
 *   one meaning each, and leaves the words otherwise as typed: each argument's parser folds its own.
 * - foldWord, a word compared with a word list (command names, /lang's aliases, zone places):
 *   NFKC, which folds what halfWidth does (a test holds them to it) and the compatibility forms
 *   besides (①, ㍻), then no case, no spaces, one Chinese script.
 */

/** Full-width ASCII (U+FF01-FF5E) as its ASCII self, the ideographic space (U+3000) as a space: `／ｒａｔｉｏ　ｓｐｘ` → `/ratio spx`. */
export const halfWidth = (text: string): string =>
  text.replace(/[\uFF01-\uFF5E\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));

/**
 * A typed word as it is compared with a word list: no case, no spaces, full-width forms as
 * half-width (ＳＰＸ, １年), one Chinese script (標普 and 标普 alike).
 */
export const foldWord = (s: string): string => simplified(numberText(s).toLowerCase().replace(/\s+/g, ''));

/**
 * A decimal digit of any script as its ASCII digit: Arabic-Indic ٣, Persian ۳, Devanagari ३, Thai ๓
 * are 3. Unicode encodes each script's digits as a run of ten from 0, so a digit's value is how
 * many digits come before it in its run.
 */
export const asciiDigits = (s: string): string =>
  s.replace(/\p{Nd}/gu, (c) => {
    if (c >= '0' && c <= '9') return c;
    const cp = c.codePointAt(0)!;
    let v = 0;
    while (v < 9 && /\p{Nd}/u.test(String.fromCodePoint(cp - v - 1))) v++;
    return String(v);
  });

/**
 * Text where a number is read, the one fold every parser of numbers, dates, times and durations
 * starts with: NFKC (full-width ３, ①) and every script's decimal digits as ASCII, so `٣` is 3
 * wherever `３` is, never refused in one command and read in another; the Arabic decimal separator
 * between digits (`١٫٨`, what an Arabic keyboard types with those digits) as the point, or the digits
 * were read and their decimal refused.
 */
export const numberText = (s: string): string => asciiDigits(s.normalize('NFKC')).replace(/(?<=\d)\u066B(?=\d)/g, '.');
