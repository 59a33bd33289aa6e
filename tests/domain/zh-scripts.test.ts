/**
 * Each Chinese catalogue in its own script and its own region's words, every text of it: a zh-CN
 * text with 數 (or 设定, Taiwan's word where the mainland says 设置) was copied from zh-TW, a zh-TW
 * one with 数 (or 數據) from zh-CN; and no English left where a Chinese reader reads (a gloss such as
 * 「去年」（last year） or a city named Tehran). No converter is installed: tests/helpers/han-scripts.ts
 * lists the characters, as pairs of a Traditional character and its Simplified twin.
 */
import { describe, expect, test } from 'vitest';
import { allKeys, LANG_INFO, t, type Lang } from '../../src/domain/i18n/index.ts';
import { ERAS, ESSAY_LEVELS } from '../../src/domain/levels.ts';
import { discordCommandDefinitions } from '../../src/platforms/discord/manifest.ts';
import { HAN_TWINS } from '../../src/domain/han-fold.ts';
import { otherScript, PAIRS, SIMPLIFIED_ONLY, simp, trad, TRADITIONAL_ONLY } from '../helpers/han-scripts.ts';

/** Words one region writes where the other writes its own (the second of each pair), as issue 16 set them. */
const NOT_HERE: Record<'zh-TW' | 'zh-CN', readonly string[]> = {
  'zh-TW': [
    '數據',
    '默認',
    '設置',
    '信息',
    '用戶',
    '網絡',
    '服務器',
    '程序',
    '支持',
    '鏈接',
    '屏幕',
    '菜單',
    '添加',
    '點擊',
    '獲取',
    '實時',
    '阻力',
    '點位',
    '命令',
    '質量',
    '屏蔽',
  ],
  'zh-CN': [
    '设定',
    '资料',
    '预设',
    '讯息',
    '档案',
    '指令',
    '水位',
    '伺服器',
    '程式',
    '支援',
    '网路',
    '连结',
    '透过',
    '使用者',
    '点选',
    '登入',
    '软体',
    '萤幕',
    '储存',
    '封锁',
  ],
};

/**
 * Latin words a Chinese text may hold: what a reader types or sees as typed (command names, spx, 5y,
 * 08:30pm, HH:MM, off, now, IANA zones), names written in Latin letters everywhere (QQQ, M2,
 * goldratio, Discord, Telegram and its General topic, @everyone, CSV, webhook, UTC), the English a
 * reader typed and is answered about (COB, close of business, the bell, next, until, Juneteenth),
 * and the catalogue's plural syntax.
 */
const LATIN_ALLOWED = new Set([
  ...[
    'start',
    'help',
    'ratio',
    'chart',
    'power',
    'levels',
    'history',
    'status',
    'subscribe',
    'unsubscribe',
    'mylevels',
    'mute',
    'unmute',
    'lang',
    'digest',
    'quiet',
    'move',
  ],
  ...['spx', 'qqq', 'spx-gold-', 'y', 'pm', 'HH', 'MM', 'MM-HH', 'off', 'now', 'IANA', 'UTC', 'UTC-', 'Asia/Taipei', 'Asia/Shanghai'],
  ...['QQQ', 'QQQ/', 'M', 'goldratio', 'Discord', 'Telegram', 'General', 'everyone', 'here', 'CSV', 'webhook'],
  ...['COB', 'close', 'of', 'business', 'the', 'bell', 'next', 'until', 'Juneteenth'],
  ...['count', 'plural', 'other'],
]);

/** Every Chinese text a reader meets from the catalogue, without the words a reader types (input.*: read in either script, han-fold.ts). */
function texts(lang: 'zh-TW' | 'zh-CN'): [string, string][] {
  const out: [string, string][] = allKeys(lang)
    .filter((k) => !k.startsWith('input.'))
    .map((k) => [k, t(lang, k)]);
  out.push(...ESSAY_LEVELS.map((l, i): [string, string] => [`level ${i}`, l.note[lang as Lang]]));
  out.push(...ERAS.map((e, i): [string, string] => [`era ${i}`, e.name[lang as Lang]]));
  // Discord's commands as its client shows them: every name, description and choice under the language's locale.
  const locale = lang;
  for (const c of discordCommandDefinitions()) {
    out.push([`discord /${c.name}`, `${c.name_localizations[locale]} ${c.description_localizations[locale]}`]);
    for (const o of c.options) {
      out.push([`discord /${c.name} ${o.name}`, `${o.name_localizations[locale]} ${o.description_localizations[locale]}`]);
      for (const ch of o.choices ?? []) out.push([`discord /${c.name} ${o.name} ${ch.value}`, String(ch.name_localizations[locale])]);
    }
  }
  return out;
}

describe('the character lists', () => {
  test('GIVEN the pairs THEN each is two characters, and the input fold knows each of its twins the same way', () => {
    expect(PAIRS.length % 2).toBe(0);
    expect(TRADITIONAL_ONLY.size).toBeGreaterThan(200);
    expect(SIMPLIFIED_ONLY.size).toBeGreaterThan(200);
    // The lists and the fold that reads typed words (han-fold.ts) agree wherever both name a character.
    for (const [i, c] of trad.entries()) if (HAN_TWINS.has(c)) expect(`${c}→${HAN_TWINS.get(c)}`).toBe(`${c}→${simp[i]}`);
  });

  test('GIVEN a text copied from the other script THEN the check names its characters', () => {
    expect(otherScript('Hans', '资料來源：数据')).toEqual(['來']);
    expect(otherScript('Hant', '資料来源：數據')).toEqual(['来']);
    // Characters both scripts write are not the other's: 台北, 皇后, 周末.
    expect(otherScript('Hant', '台北的週末與周末，皇后')).toEqual([]);
  });
});

describe.each(['zh-TW', 'zh-CN'] as const)('every %s text', (lang) => {
  test('GIVEN the catalogue, the essay levels and eras, and Discord’s command names THEN no character only the other script writes', () => {
    const found = texts(lang).flatMap(([k, v]) => otherScript(LANG_INFO[lang].hanScript!, v).map((c) => `${k}: ${c} in ${v}`));
    expect(found).toEqual([]);
  });

  test('GIVEN the same texts THEN none writes the other region’s word', () => {
    const found = texts(lang).flatMap(([k, v]) => NOT_HERE[lang].filter((w) => v.includes(w)).map((w) => `${k}: ${w} in ${v}`));
    expect(found).toEqual([]);
  });

  test('GIVEN the same texts THEN no English word is left but what a reader types or names in Latin letters', () => {
    const found = texts(lang).flatMap(([k, v]) =>
      [...v.replace(/\{\w+\}/g, '').matchAll(/[A-Za-z][A-Za-z_./@-]*/g)].filter(([w]) => !LATIN_ALLOWED.has(w)).map(([w]) => `${k}: "${w}" in ${v}`),
    );
    expect(found).toEqual([]);
  });
});

describe.each(['zh-TW', 'zh-CN'] as const)('one word for one period in every %s text', (lang) => {
  test("GIVEN the changes line, the digest's and the chart's range names THEN the month and the year to date read alike: 近1個月 / 近1个月, 今年以來 / 今年以来", () => {
    // 近1月 reads as "near January" as readily as "the past month": the chart's name, with its measure word, everywhere.
    for (const key of ['chat.ratio.changes']) expect(t(lang, key), key).toContain(t(lang, 'chart.range.1M'));
    for (const key of ['chat.ratio.changes', 'digest.pair', 'digest.pair.older']) expect(t(lang, key), key).toContain(t(lang, 'chart.range.YTD'));
  });

  test('GIVEN the same texts THEN no other word for a span of months, a week, a year or the year to date', () => {
    // A month's count without its measure word (近1月, 近三月); the year to date or a week in another word. Prose may count in words (近三個月).
    const OTHER = /近\s*[\d一二三六十]+\s*月|近\s*一\s*(?:週|周|星期|年)|年初至今|今年來|今年来(?!以)/;
    expect(
      texts(lang)
        .filter(([, v]) => OTHER.test(v))
        .map(([k, v]) => `${k}: ${v}`),
    ).toEqual([]);
  });
});
