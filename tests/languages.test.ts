/**
 * Every language of langs.ts has what each place that speaks it needs, read from the list: a
 * fourth language added there and to the catalogues is checked here with no edit of this file
 * (house23 added Japanese on a trial basis and listed what it missed). Numbers and dates through
 * Intl, Telegram's language_code and menu, Discord's locale and its command localizations, /lang,
 * DEFAULT_LANG, the fallback, the home zone and the group and channel wording. The chart font's
 * glyphs are tests/charts/cjk.test.ts's (every language's chart texts, drawn).
 */
import { Locale } from 'discord-api-types/v10';
import { describe, expect, test } from 'vitest';
import { commandsOn } from '../src/chat/registry.ts';
import { loadConfig } from '../src/config.ts';
import { fmtCount, fmtDate, fmtMonth, fmtPct } from '../src/domain/i18n/format.ts';
import { LANG_INFO, LANGS, hasKey, langFromCode, langFromInput, matchLang, t, type Lang } from '../src/domain/i18n/index.ts';
import { discordCommandDefinition } from '../src/platforms/discord/manifest.ts';
import { MENU_LANGS } from '../src/platforms/telegram/bot.ts';

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
});
