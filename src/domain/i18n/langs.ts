/**
 * The one list of languages. Config validation, `/lang`, the Telegram and Discord language
 * mappings, the slash-command localizations, the Telegram menus, number and date formats, the
 * embed colours and the chart font all derive from it: a new language is an entry here plus its
 * texts in every catalogue (tests/domain/i18n.test.ts fails on a missing key, tests/languages.test.ts on
 * what an entry lacks; docs/architecture.md "Adding a language" has the steps).
 */
import { foldWord } from '../han-fold.ts';

export interface LangInfo {
  /** BCP 47 tag handed to Intl (numbers, dates). */
  readonly locale: string;
  /** Dates print as ISO 2026-08-21 (else through Intl in `locale`: 2026年8月21日). */
  readonly isoDates: boolean;
  /**
   * Words and sentences are set apart by spaces (English); false where they run together (Chinese,
   * Japanese): chat/labels.ts `gap`, domain/message.ts's joins, and `t`'s spacing of a value beside
   * Han characters (i18n/index.ts) read it.
   */
  readonly spacesBetweenWords: boolean;
  /**
   * Which Chinese script its Han characters are: Traditional or Simplified. The chart fonts'
   * order (charts/fonts.ts), a `/lang 中文` that keeps the chat's Chinese, and the Chinese checks
   * (full-width brackets, 您, no character of the other script) read it. Undefined for a language
   * not written in Chinese characters, or whose kanji are its own (Japanese's 対, 値): it needs its
   * own font (charts/fonts.ts).
   */
  readonly hanScript: 'Hant' | 'Hans' | undefined;
  /**
   * Client language codes (Telegram's `language_code`, Discord's `locale`) that mean this language,
   * lower case; a code matches an entry equal to it or starting with it and a dash. The longest
   * match wins, so `zh-hans-hk` is Simplified although `zh-hk` is Traditional.
   */
  readonly codes: readonly string[];
  /** What users type to `/lang` besides the tag itself. */
  readonly aliases: readonly string[];
  /**
   * Telegram's command menu is scoped by a two-letter ISO 639-1 code only (`setMyCommands`'s
   * `language_code`): `default` is the menu of every other code, undefined gets none of its own.
   */
  readonly telegramMenu: string | undefined;
  /** Discord locales that get this language's command names and descriptions (none: the default). */
  readonly discordLocales: readonly string[];
  /** A rise is drawn red and a fall green (紅漲綠跌) in Taiwan and mainland China. */
  readonly risesRed: boolean;
  /** When a text lacks this language (an old stored message), the nearest one that reads. */
  readonly fallback: Lang | undefined;
  /** The zone its readers most likely keep, offered first among the common zones (/digest's buttons, Discord's zone autocomplete). */
  readonly homeZone: string | undefined;
  /**
   * How a text that names the chat as a chat (本聊天室, "this chat") names a Telegram group and a
   * channel instead: each rewrite applied in turn (i18n/index.ts makes `key.group` and `key.channel`
   * from them). Empty where the language's word for a chat fits both.
   */
  readonly placeWords: Readonly<Record<'group' | 'channel', readonly PlaceRewrite[]>>;
  /**
   * How a year of two or three digits reads (100年, 110年3月, 113/5: chat/parse.ts): `roc` as a 民國
   * year, Taiwan's calendar (N + 1911: 110年 is 2021); `span` 100年 alone as a span of that many years
   * back, as the mainland says it, and one with a month or a day (110年3月, no mainland date) asked;
   * `ask` either asked, naming both readings (or the 民國 one's date), never guessed.
   */
  readonly shortYears: 'roc' | 'span' | 'ask';
  /** The week before this one as its readers type it (上週, `last week`): offered to copy when this week has no close yet (chat/parse.ts reads it). */
  readonly lastWeek: string;
  /** How a date of two numbers that could each be the month (5/6, /mute until 3/4) reads: month first, or asked (an American's March 4 is a European's 3 April). */
  readonly slashDates: SlashOrder;
  /** The day 國慶 (国庆, National Day) names to its readers (chat/mute-day.ts): 10 October (雙十) in Taiwan, 1 October on the mainland. */
  readonly nationalDay: { readonly month: number; readonly day: number };
  /**
   * The day of the lunar year's first month on which work starts again after the New Year, as its
   * readers mean "after the New Year" (過完年, 開工: chat/mute-day.ts): 初五 in Taiwan, 初八 on the mainland.
   */
  readonly workResumes: number;
  /**
   * The zone its readers mean by a time-zone abbreviation other readers use for other clocks
   * (domain/zone-abbreviations.ts): CST is Taipei's clock as Taiwan prints it, China's on the mainland,
   * US Central to an American. Undefined: asked, naming each zone it may be.
   */
  readonly abbreviations: Readonly<Record<LangAbbreviation, string | undefined>>;
  /**
   * How /mylevels says a level far below its pair's ratio (chat/commands/subscription.ts): `times`
   * as a multiple of the level (7.2×, 1,390×), `fraction` as a part of the ratio with a whole,
   * ungrouped denominator (1390 分之一, the catalogue's farBelow), as Chinese says it.
   */
  readonly farBelow: 'times' | 'fraction';
  /**
   * How Discord's zone autocomplete names a zone whose city the catalogue does not name (Asia/Yerevan):
   * `city` by the IANA name's own English city (Yerevan), `region` by the catalogue's region and the
   * IANA name (亞洲 Asia/Yerevan), where an English city alone would not read.
   */
  readonly unnamedZone: 'city' | 'region';
}

/** How a date of two numbers whose both could be a month is read: month first (月/日), or asked. */
export type SlashOrder = 'md' | 'ask';

/** The time-zone abbreviations whose zone a language states (LangInfo.abbreviations). */
export type LangAbbreviation = 'CST';

/** A pattern (global) and what replaces it, as String.replace takes them: `$1` is the first group. */
export type PlaceRewrite = readonly [RegExp, string];

export type Lang = 'en' | 'zh-TW' | 'zh-CN';

export const LANG_INFO: Readonly<Record<Lang, LangInfo>> = {
  en: {
    locale: 'en-US',
    isoDates: true,
    spacesBetweenWords: true,
    hanScript: undefined,
    codes: ['en'],
    aliases: ['english', 'eng', '英文', '英語', '英语'],
    telegramMenu: 'default',
    discordLocales: [],
    risesRed: false,
    fallback: undefined,
    homeZone: undefined,
    placeWords: { group: [[/\b([Tt])his chat\b/g, '$1his group']], channel: [[/\b([Tt])his chat\b/g, '$1his channel']] },
    // Its reader may have typed Chinese: which Chinese date was meant is not known.
    shortYears: 'ask',
    lastWeek: 'last week',
    slashDates: 'ask',
    // A reader of English who types 國慶 most likely means the mainland's, as one of Taiwan would say 雙十.
    nationalDay: { month: 10, day: 1 },
    // 過完年 typed in an English chat: 初五, as in Taiwan.
    workResumes: 5,
    // An American's US Central, Taiwan's or China's clock: asked.
    abbreviations: { CST: undefined },
    farBelow: 'times',
    unnamedZone: 'city',
  },
  'zh-TW': {
    locale: 'zh-TW',
    isoDates: false,
    spacesBetweenWords: false,
    hanScript: 'Hant',
    // Bare `zh` stays Traditional: the chats that said `zh` before zh-CN existed keep their texts,
    // and Telegram's one `zh` menu is this one.
    codes: ['zh', 'zh-hant', 'zh-tw', 'zh-hk', 'zh-mo'],
    // As the menus name it in English too (Traditional Chinese), and the tag with a space (zh tw).
    aliases: [
      'tw',
      'zh_tw',
      'zh tw',
      'traditional chinese',
      'chinese traditional',
      'traditional',
      '繁中',
      '繁體',
      '繁體中文',
      '中文繁體',
      '繁體字',
      '正體',
      '正體中文',
      '正體字',
      // 國語, Mandarin as Taiwan names it (国语 typed in Simplified folds to it).
      '國語',
      // Where it is read: Taiwan, Hong Kong and Macau write Traditional.
      'taiwan',
      'hong kong',
      'macau',
      'macao',
      '台灣',
      '臺灣',
      '台湾',
      '香港',
      '澳門',
      '澳门',
    ],
    telegramMenu: 'zh',
    discordLocales: ['zh-TW'],
    risesRed: true,
    fallback: 'en',
    homeZone: 'Asia/Taipei',
    // Telegram's own Taiwan wording calls a group 群組; 本聊天室 reads as a chat room.
    placeWords: {
      group: [
        [/本聊天室/g, '本群組'],
        [/每個聊天室/g, '每個群組'],
      ],
      channel: [
        [/本聊天室/g, '本頻道'],
        [/每個聊天室/g, '每個頻道'],
      ],
    },
    shortYears: 'roc',
    lastWeek: '上週',
    slashDates: 'md',
    nationalDay: { month: 10, day: 10 },
    workResumes: 5,
    abbreviations: { CST: 'Asia/Taipei' },
    farBelow: 'fraction',
    unnamedZone: 'region',
  },
  'zh-CN': {
    locale: 'zh-CN',
    isoDates: false,
    spacesBetweenWords: false,
    hanScript: 'Hans',
    codes: ['zh-hans', 'zh-cn', 'zh-sg', 'zh-my'],
    aliases: [
      'cn',
      'zh_cn',
      'zh cn',
      'simplified chinese',
      'chinese simplified',
      'simplified',
      '简中',
      '简体',
      '简体中文',
      '中文简体',
      '简体字',
      // 普通话, Mandarin as the mainland names it.
      '普通话',
      '普通話',
      // Where it is read: the mainland and Singapore write Simplified.
      'china',
      'mainland',
      'mainland china',
      'singapore',
      '中國',
      '中国',
      '大陸',
      '大陆',
      '内地',
      '內地',
      '中國大陸',
      '中国大陆',
      '新加坡',
    ],
    // Telegram offers one menu per two-letter code, and `zh` is Traditional's: Simplified
    // readers see that menu; every answer is in Simplified.
    telegramMenu: undefined,
    discordLocales: ['zh-CN'],
    risesRed: true,
    fallback: 'zh-TW',
    homeZone: 'Asia/Shanghai',
    // Mainland readers say 本群, not 本聊天.
    placeWords: {
      group: [
        [/本聊天(?!室)/g, '本群'],
        [/每个聊天(?!室)/g, '每个群'],
      ],
      channel: [
        [/本聊天(?!室)/g, '本频道'],
        [/每个聊天(?!室)/g, '每个频道'],
      ],
    },
    shortYears: 'span',
    lastWeek: '上周',
    slashDates: 'md',
    nationalDay: { month: 10, day: 1 },
    workResumes: 8,
    abbreviations: { CST: 'Asia/Shanghai' },
    farBelow: 'fraction',
    unnamedZone: 'region',
  },
};

export const LANGS: readonly Lang[] = Object.keys(LANG_INFO) as Lang[];

export function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s);
}

/** The language a client code (`zh-hant`, `zh-CN`, `zh_TW`, `en-US`) means, or undefined. */
export function matchLang(code: string | null | undefined): Lang | undefined {
  if (code === undefined || code === null) return undefined;
  const c = code.trim().toLowerCase().replace(/_/g, '-');
  let best: { lang: Lang; length: number } | undefined;
  for (const lang of LANGS) {
    for (const known of LANG_INFO[lang].codes) {
      if ((c === known || c.startsWith(`${known}-`)) && known.length > (best?.length ?? 0)) best = { lang, length: known.length };
    }
  }
  return best?.lang;
}

/** Maps a Telegram/Discord language code to a supported Lang, else `fallback`. */
export function langFromCode(code: string | null | undefined, fallback: Lang = 'en'): Lang {
  return matchLang(code) ?? fallback;
}

/**
 * Chinese named without its script: the chat's own Chinese where it reads one, else Traditional (as
 * a bare `zh` client code is). `/lang zh` typed in a Simplified chat stays Simplified.
 */
const CHINESE = ['中文', '汉语', '漢語', '华语', '華語', 'chinese', 'zh'];

/**
 * What a user typed to `/lang` or `--lang` (any case, aliases, client codes), or undefined. Chinese
 * named without its script (`中文`) is `current` where that is a Chinese (a Simplified chat typing
 * `/lang 中文` stays Simplified), else the reader's own Chinese where their app reads one (`reader`,
 * from its language code: a mainland user's zh-hans app, in an English chat, gets Simplified), else
 * Traditional.
 */
export function langFromInput(input: string, current?: Lang, reader?: Lang): Lang | undefined {
  // In either Chinese script (简体, 簡體, 繁体), full-width (ｚｈ－ＴＷ) too.
  const s = foldWord(input);
  if (CHINESE.some((w) => foldWord(w) === s)) {
    for (const l of [current, reader]) if (l !== undefined && LANG_INFO[l].hanScript !== undefined) return l;
    return 'zh-TW';
  }
  const exact = LANGS.find((l) => l.toLowerCase() === s || LANG_INFO[l].aliases.some((a) => foldWord(a) === s));
  return exact ?? matchLang(s);
}

/** A text in every language, from one function: `{ en: …, 'zh-TW': …, 'zh-CN': … }`. */
export function inEveryLang(f: (lang: Lang) => string): Readonly<Record<Lang, string>> {
  return Object.fromEntries(LANGS.map((l) => [l, f(l)])) as Record<Lang, string>;
}

/** A text given in several languages, read in `lang`: its own, else its fallbacks', else English. */
export function pickLang(byLang: Readonly<Partial<Record<Lang, string>>> & { readonly en: string }, lang: Lang): string {
  for (let l: Lang | undefined = lang; l !== undefined; l = LANG_INFO[l].fallback) {
    const v = byLang[l];
    if (typeof v === 'string') return v;
  }
  return byLang.en;
}
