/**
 * Every language of langs.ts has what each place that speaks it needs, read from the list: a
 * fourth language added there and to the catalogues is checked here with no edit of this file
 * (house23 added Japanese on a trial basis and listed what it missed). Numbers and dates through
 * Intl, Telegram's language_code and menu, Discord's locale and its command localizations, /lang,
 * DEFAULT_LANG, the fallback, the home zone and the group and channel wording; and the rules of
 * reading its readers' words that langs.ts makes each language state (a 民國 year, the week before
 * typed, a slash date's order, 國慶, the day work resumes after Lunar New Year, CST): each read where
 * the parsers read it. The chart font's glyphs are tests/charts/cjk.test.ts's (every language's
 * chart texts, drawn).
 */
import { Locale } from 'discord-api-types/v10';
import { describe, expect, test } from 'vitest';
import { commandsOn } from '../src/chat/registry.ts';
import { loadConfig } from '../src/config.ts';
import { fmtCount, fmtDate, fmtMonth, fmtPct } from '../src/domain/i18n/format.ts';
import { LANG_INFO, LANGS, hasKey, langFromCode, langFromInput, matchLang, t, type Lang } from '../src/domain/i18n/index.ts';
import { discordCommandDefinition } from '../src/platforms/discord/manifest.ts';
import { MENU_LANGS } from '../src/platforms/telegram/bot.ts';
import { chatMessage, isPeriodWord, parseBaseDate, thisWeekNoClose } from '../src/chat/parse.ts';
import { parseMuteArg } from '../src/chat/parse-mute.ts';
import { lunarDay, muteDay } from '../src/chat/mute-day.ts';
import { abbreviationIn, zonesOfAbbreviation } from '../src/domain/zone-abbreviations.ts';
import { resolveTimeZoneIn } from '../src/domain/digest-schedule.ts';
import { isIsoDate } from '../src/domain/dates.ts';
import { autocompleteChoices } from '../src/platforms/discord/autocomplete.ts';

const DISCORD_LOCALES: readonly string[] = Object.values(Locale);
/** The language whose texts are the default: Telegram's `default` menu, Discord's unlocalized names. */
const BASE = LANGS.filter((l) => LANG_INFO[l].telegramMenu === 'default');

test('GIVEN the list THEN exactly one language is the default (the base texts every other one localizes)', () => {
  expect(BASE).toHaveLength(1);
});

describe.each(LANGS)('%s', (lang) => {
  const info = LANG_INFO[lang];

  test('GIVEN its Intl locale THEN numbers, dates and plurals are Intl-supported, and a date and a count print with their digits', () => {
    const supported = {
      NumberFormat: Intl.NumberFormat.supportedLocalesOf(info.locale),
      DateTimeFormat: Intl.DateTimeFormat.supportedLocalesOf(info.locale),
      PluralRules: Intl.PluralRules.supportedLocalesOf(info.locale),
    };
    expect(supported).toEqual({ NumberFormat: [info.locale], DateTimeFormat: [info.locale], PluralRules: [info.locale] });
    expect(fmtDate('2026-08-21', lang)).toMatch(/2026\D+0?8\D+21/);
    expect(fmtMonth('2026-08-21', lang)).toMatch(/2026\D+0?8/);
    expect(fmtCount(24_777, lang)).toMatch(/24\D?777/);
    expect(fmtPct(1.5, lang)).toMatch(/1[.,]5/);
  });

  test('GIVEN a client code (Telegram language_code, Discord locale) THEN each of its codes and its locale read as it, and no other language claims them', () => {
    for (const code of [...info.codes, info.locale, ...info.discordLocales]) expect(`${code} → ${matchLang(code)}`).toBe(`${code} → ${lang}`);
    for (const other of LANGS.filter((l) => l !== lang)) expect(LANG_INFO[other].codes.filter((c) => info.codes.includes(c))).toEqual([]);
    expect(langFromCode(info.codes[0], lang === 'en' ? 'zh-TW' : 'en')).toBe(lang);
  });

  test('GIVEN Telegram THEN its menu is scoped by a two-letter code no other language takes (or it reads another one’s)', () => {
    const menu = info.telegramMenu;
    if (menu !== undefined && menu !== 'default') {
      expect(menu).toMatch(/^[a-z]{2}$/);
      expect(MENU_LANGS.filter((m) => m.code === menu)).toEqual([{ code: menu, lang }]);
    }
  });

  test('GIVEN Discord THEN each of its locales is one Discord has, and every slash command and option is named and described in it', () => {
    for (const locale of info.discordLocales) expect(DISCORD_LOCALES).toContain(locale);
    if (BASE.includes(lang)) return;
    // A language Discord would otherwise show in the base texts.
    expect(info.discordLocales.length).toBeGreaterThan(0);
    for (const command of commandsOn('discord')) {
      const d = discordCommandDefinition(command);
      for (const locale of info.discordLocales) {
        expect(d.name_localizations[locale], `${d.name} ${locale}`).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
        expect(d.description_localizations[locale], `${d.name} ${locale}`).toMatch(/^.{1,100}$/u);
        for (const o of d.options) expect(o.name_localizations?.[locale], `${d.name} ${o.name} ${locale}`).toBeDefined();
      }
    }
  });

  test('GIVEN /lang, --lang and DEFAULT_LANG THEN its tag, its aliases and its name read as it', () => {
    expect(langFromInput(lang)).toBe(lang);
    for (const alias of info.aliases) expect(`${alias} → ${langFromInput(alias)}`).toBe(`${alias} → ${lang}`);
    expect(hasKey(`chat.lang.${lang}`)).toBe(true);
    expect(t(lang, `chat.lang.${lang}`)).not.toBe(`chat.lang.${lang}`);
    expect(loadConfig({ DEFAULT_LANG: lang }).defaultLang).toBe(lang);
  });

  test('GIVEN a text it lacks THEN its fallbacks end in English, with no loop', () => {
    const seen: Lang[] = [];
    for (let l: Lang | undefined = lang; l !== undefined; l = LANG_INFO[l].fallback) {
      expect(seen).not.toContain(l);
      seen.push(l);
    }
    expect(seen.at(-1)).toBe('en');
  });

  test('GIVEN its home zone THEN Intl knows it', () => {
    if (info.homeZone !== undefined) expect(() => new Intl.DateTimeFormat('en', { timeZone: info.homeZone })).not.toThrow();
  });

  test('GIVEN its group and channel wording THEN each rewrite replaces every occurrence (a global pattern)', () => {
    for (const place of ['group', 'channel'] as const) for (const [from] of info.placeWords[place]) expect(from.flags).toContain('g');
  });

  test('GIVEN its Chinese script THEN it is written without spaces between words (a Chinese text spaced reads as typos)', () => {
    if (info.hanScript !== undefined) expect(info.spacesBetweenWords).toBe(false);
  });

  /** A Tuesday: the week before ran from Monday 2026-11-30 to Friday 2026-12-04. */
  const TODAY = '2026-12-08';

  test('GIVEN a year of two or three digits (110年3月, 100年) THEN it reads as its shortYears says: 民國, a span back, or asked', () => {
    const month = parseBaseDate('110年3月', TODAY, 'start', lang);
    const bare = parseBaseDate('100年', TODAY, 'start', lang);
    if (info.shortYears === 'roc') {
      expect([month, bare]).toEqual([
        { ok: true, value: '2021-03-01' },
        { ok: true, value: '2011-01-01' },
      ]);
      return;
    }
    expect(month.ok ? month.value : month.error.key).toBe('chat.err.rocDate');
    if (info.shortYears === 'span') expect(bare).toEqual({ ok: true, value: '1926-12-08' });
    else expect(bare.ok ? bare.value : bare.error.key).toBe('chat.err.rocOrSpan');
  });

  test('GIVEN this week with no close yet THEN the refusal offers its lastWeek to type, which the date parser reads as the week before', () => {
    expect(isPeriodWord(info.lastWeek)).toBe(true);
    expect(parseBaseDate(info.lastWeek, TODAY, 'start', lang)).toEqual({ ok: true, value: '2026-11-30' });
    const refusal = thisWeekNoClose('this week', lang);
    expect(refusal.ok).toBe(false);
    if (!refusal.ok) expect(chatMessage(lang, refusal.error)).toContain(info.lastWeek);
  });

  test('GIVEN a date of two numbers that could each be the month (3/4) THEN a chart and a mute read it as its slashDates says: month first, or asked', () => {
    const chart = parseBaseDate('3/4', TODAY, 'start', lang);
    const mute = parseMuteArg('until 3/4', lang, TODAY);
    if (info.slashDates === 'md') {
      expect(chart).toEqual({ ok: true, value: '2026-03-04' });
      expect(mute).toMatchObject({ ok: true, value: { day: { kind: 'monthDay', month: 3, day: 4 } } });
    } else {
      expect(chart.ok ? chart.value : chart.error.key).toBe('chat.err.dateOrder');
      expect(mute.ok).toBe(false);
    }
  });

  test('GIVEN 國慶 and 過完年 in a /mute THEN they end on its nationalDay and on its workResumes day of the first lunar month', () => {
    const { month, day } = info.nationalDay;
    expect(isIsoDate(`2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`)).toBe(true);
    for (const typed of ['國慶', '国庆节']) expect(muteDay(typed, info.slashDates, lang)).toEqual({ kind: 'monthDay', month, day });
    // 初二 to 初十五: a day of the New Year's fortnight.
    expect(info.workResumes).toBeGreaterThanOrEqual(2);
    expect(info.workResumes).toBeLessThanOrEqual(15);
    expect(muteDay('過完年', info.slashDates, lang)).toEqual({ kind: 'nextOf', dates: lunarDay(info.workResumes) });
  });

  test('GIVEN a time-zone abbreviation other readers mean otherwise (CST) THEN the zone it states is one the abbreviation names, read so; none stated is asked', () => {
    for (const [abbreviation, zone] of Object.entries(info.abbreviations)) {
      const zones = zonesOfAbbreviation(abbreviation);
      expect(zones?.length, abbreviation).toBeGreaterThan(1);
      expect(abbreviationIn(abbreviation.toLowerCase(), lang)).toBe(zone);
      if (zone === undefined) expect(resolveTimeZoneIn(abbreviation, lang)).toMatchObject({ kind: 'ambiguous' });
      else {
        expect(zones).toContain(zone);
        expect(resolveTimeZoneIn(abbreviation, lang)).toEqual({ kind: 'zone', zone });
      }
    }
  });

  test("GIVEN a zone the catalogue names no city of (Asia/Yerevan) in Discord's autocomplete THEN it is named as its unnamedZone says: by region and IANA name, or by its city", () => {
    const choice = autocompleteChoices('digest', 'timezone', 'yerevan', lang, Date.UTC(2026, 0, 15)).find((c) => c.value === 'Asia/Yerevan');
    expect(choice?.name.includes('Asia/Yerevan')).toBe(info.unnamedZone === 'region');
    expect(choice?.name.startsWith('Yerevan')).toBe(info.unnamedZone === 'city');
  });
});
