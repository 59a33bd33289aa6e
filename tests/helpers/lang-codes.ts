/**
 * What a client says to mean a language, read from langs.ts, so a test that speaks each language
 * through a platform covers a language added there with no edit: tests/languages.test.ts checks
 * that each of these reads back as its language.
 */
import { LANG_INFO, type Lang } from '../../src/domain/i18n/index.ts';

/** A Telegram `language_code` that reads as `lang` (its first client code: en, zh, zh-hans). */
export const telegramCode = (lang: Lang): string => LANG_INFO[lang].codes[0]!;

/** A Discord locale that reads as `lang`: its own, else Discord's en-US (the base texts'). */
export const discordLocale = (lang: Lang): string => LANG_INFO[lang].discordLocales[0] ?? 'en-US';
