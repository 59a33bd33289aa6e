/**
 * The languages: every catalogue key exists in every language, the language list drives the
 * client-code mapping, and every Chinese text, rendered with realistic values (Chinese-valued
 * placeholders, dates through the language's formatter) and as the chat commands actually answer,
 * keeps Chinese typography: no space between two Han words, full-width brackets and punctuation,
 * 您 throughout, and no character of the other script.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { allKeys, LANG_INFO, LANGS, langFromCode, langFromInput, pickLang, t, type Lang } from '../../src/domain/i18n/index.ts';
import { fmtDate, fmtIndex, fmtMonth, fmtPct, fmtSince, fmtSinceDay, formatAge, fmtList } from '../../src/domain/i18n/format.ts';
import { ERAS, ESSAY_LEVELS } from '../../src/domain/levels.ts';
import { CHART_RANGES } from '../../src/domain/chart-request.ts';
import { localizeText, parseMessage } from '../../src/domain/message.ts';
import { formatMoment } from '../../src/chat/labels.ts';
import { CHAT_COMMANDS, findCommand } from '../../src/chat/registry.ts';
import { commandRefs } from '../../src/chat/command-refs.ts';
import { plainText } from '../../src/chat/reply.ts';
import { localizations } from '../../src/platforms/discord/manifest.ts';
import { MENU_LANGS } from '../../src/platforms/telegram/bot.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';
import { otherScript } from '../helpers/han-scripts.ts';

const HAN_LANGS = LANGS.filter((l) => LANG_INFO[l].hanScript !== undefined);
/** Urumqi as each language names it, where a text names a place of two clocks. */
const URUMQI = { en: 'Urumqi', 'zh-TW': '烏魯木齊', 'zh-CN': '乌鲁木齐' } as const;

/** Every command's declared name, and the names the languages give it in Discord's menu (`chat.name.*`). */
const COMMAND_NAMES = new Set(CHAT_COMMANDS.map((c) => c.name));
const MENU_NAMES = new Map(
  CHAT_COMMANDS.flatMap((c) => LANGS.map((l) => [t(l, `chat.name.${c.name}`), c.name] as const)).filter(([shown, name]) => shown !== name),
);

/** How a text names a command other than `/name` as chat/command-refs.ts reads it. */
function commandFormsOf(text: string): string[] {
  const out: string[] = [];
  for (const [shown, name] of MENU_NAMES) if (text.includes(`/${shown}`) || text.includes(`／${shown}`)) out.push(`/${shown} (a menu name: write /${name})`);
  for (const m of text.matchAll(/／([a-z]+)/g)) if (COMMAND_NAMES.has(m[1]!)) out.push(`／${m[1]} (full-width slash: write /${m[1]})`);
  const read = commandRefs(text, (n) => COMMAND_NAMES.has(n)).filter((p) => typeof p !== 'string').length;
  const written = [...text.matchAll(/(.?)\/([a-z]+)(?![a-z])/g)].filter((m) => COMMAND_NAMES.has(m[2]!));
  if (read !== written.length) for (const m of written) if (/[A-Za-z0-9_.:<@-]/.test(m[1]!)) out.push(`/${m[2]} glued to "${m[1]}": not read as a command`);
  return out;
}

const otherCommandForms = (lang: Lang, key: string): string[] =>
  key.startsWith('chat.name.') ? [] : commandFormsOf(t(lang, key)).map((x) => `${lang}/${key}: ${x}`);

describe('the catalogue', () => {
  test('GIVEN every language THEN each defines every key any language defines', () => {
    const every = new Set(LANGS.flatMap((l) => allKeys(l)));
    const missing = LANGS.flatMap((l) => {
      const own = new Set(allKeys(l));
      return [...every].filter((k) => !own.has(k)).map((k) => `${l}: ${k}`);
    });
    expect(missing).toEqual([]);
  });

  test('GIVEN the Chinese catalogues THEN each uses its own market terms: 水位 and 壓力 in Taiwan, 点位, 阻力 and 命令 on the mainland, and 比率 in both', () => {
    const using = (lang: Lang, term: RegExp) => allKeys(lang).filter((k) => term.test(t(lang, k)));
    expect(using('zh-CN', /水位|壓力|压力/)).toEqual([]);
    // A command is 命令 on the mainland (指令 is Taiwan's word), data 数据 (资料 is Taiwan's 資料 converted),
    // a price or close is not 一笔 (Taiwan's 一筆 of data), and a chat is sent 消息, not 发帖 (a forum's).
    expect(using('zh-CN', /指令|资料|依截至|一笔|发帖/)).toEqual([]);
    expect(using('zh-TW', /點位|点位|阻力/)).toEqual([]);
    // One name for the ratio: 比率 (/ratio), never 比值.
    expect([...using('zh-TW', /比值/), ...using('zh-CN', /比值/)]).toEqual([]);
  });

  test('GIVEN every text THEN a command it names is written /name, the one form each platform turns into its own (chat/command-refs.ts)', () => {
    expect(LANGS.flatMap((lang) => allKeys(lang).flatMap((key) => otherCommandForms(lang, key)))).toEqual([]);
  });

  test('GIVEN a command named another way THEN the check says where', () => {
    expect(commandFormsOf('請先使用 /訂閱 訂閱。')).toEqual(['/訂閱 (a menu name: write /subscribe)']);
    expect(commandFormsOf('请先使用 ／subscribe 订阅。')).toEqual(['／subscribe (full-width slash: write /subscribe)']);
    expect(commandFormsOf('see x/help')).toEqual(['/help glued to "x": not read as a command']);
    expect(commandFormsOf('請先使用 /subscribe 訂閱（SPX/Gold，Asia/Taipei）。')).toEqual([]);
  });

  test('GIVEN every key THEN each language uses the same placeholders as English', () => {
    // `{rows}` and `{rows, plural, …}` both name rows (Chinese has no plural forms).
    const names = (s: string) => [...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]).sort();
    const differ = LANGS.flatMap((l) =>
      allKeys('en')
        .filter((k) => JSON.stringify(names(t(l, k))) !== JSON.stringify(names(t('en', k))))
        .map((k) => `${l}: ${k}`),
    );
    expect(differ).toEqual([]);
  });

  test('GIVEN a count of one THEN English says it in the singular, and a grouped count reads as its number', () => {
    expect(t('en', 'chat.status.close', { date: '2026-08-21', close: '7,674.37', source: 'import', rows: '1' })).toBe(
      'close 2026-08-21 7,674.37 (import, 1 row)',
    );
    expect(t('en', 'chat.status.close', { date: '2026-08-21', close: '7,674.37', source: 'import', rows: '24,777' })).toBe(
      'close 2026-08-21 7,674.37 (import, 24,777 rows)',
    );
    expect(t('en', 'chat.status.month', { month: '2026-06', close: '1', source: 's', rows: 1 })).toMatch(/\(s, 1 month\)$/);
    expect(t('en', 'flood.slow-down', { seconds: 1 })).toMatch(/Wait 1 second;/);
    expect(t('en', 'flood.slow-down', { seconds: 30 })).toMatch(/Wait 30 seconds;/);
    expect(t('en', 'quiet.summary.title', { count: 1 })).toMatch(/: 1 alert while/);
    expect(t('en', 'chart.error.too-little', { pair: 'SPX/Gold', range: '1M', count: 0 })).toMatch(/: 0 points, at least 2/);
    expect(t('zh-TW', 'flood.slow-down', { seconds: 1 })).toMatch(/請等待 1 秒/);
  });

  // Every count a text takes (the placeholders sample() gives a number) set to one: no noun after it
  // left in the plural ("The last 1 level events", "1 minutes or 1 months", "within 1 days").
  // Not counted: the limits the code fixes (max, most, min, hold, a move's longest span in weeks and months) and a quiet window's length (an
  // ambiguous one is over 12 hours); nor the keys their callers pick by the count (unit.day for one
  // day, never one month or year; digest.count.11 for eleven times and more).
  const NOT_ONE = new Set(['max', 'most', 'min', 'hold', 'length', 'weeks', 'months']);
  test('GIVEN every English text with each of its counts at one THEN no noun after the count stays plural', () => {
    const found: string[] = [];
    for (const key of allKeys('en')) {
      if (key.startsWith('unit.') || key.startsWith('digest.count.')) continue;
      const names = [...new Set([...t('en', key).matchAll(/\{(\w+)/g)].map((m) => m[1]!))];
      const counts = names.filter((n) => !NOT_ONE.has(n) && typeof sample('en', key, n) === 'number');
      if (counts.length === 0) continue;
      const params = Object.fromEntries(names.map((n) => [n, counts.includes(n) ? 1 : (sample('en', key, n) ?? n)]));
      const text = t('en', key, params);
      for (const m of text.matchAll(/(?<![\d.,:])\b1 (?:(?!of\b)[a-z-]+ )?([a-z]+s)\b/g))
        if (m[1] !== 'is' && m[1] !== 'was') found.push(`${key}: ${m[0]} in "${text}"`);
    }
    expect(found).toEqual([]);
  });

  // "it closed above 2.5 12 times": a level's number and a count side by side read as one list.
  test('GIVEN every English text with realistic values THEN no count of times stands right after another number', () => {
    const found: string[] = [];
    for (const key of allKeys('en')) {
      const params: Record<string, string | number> = {};
      for (const [, name] of t('en', key).matchAll(/\{(\w+)/g)) params[name!] = sample('en', key, name!) ?? name!;
      const text = t('en', key, params);
      if (/\d \d[\d,]* times\b/.test(text)) found.push(`${key}: ${text}`);
    }
    expect(found).toEqual([]);
  });

  test('GIVEN a count of one in the texts users meet with it THEN each reads in the singular', () => {
    expect(t('en', 'chat.history.title', { count: 1 })).toBe('The last level event:');
    expect(t('en', 'chat.history.title', { count: 10 })).toBe('The last 10 level events:');
    expect(t('en', 'chat.err.durationCapitalM', { input: '1M', n: 1 })).toBe('"1M" could be 1 minute or 1 month: write 1min or 1mo.');
    expect(t('en', 'chat.err.durationCapitalM', { input: '5M', n: 5 })).toBe('"5M" could be 5 minutes or 5 months: write 5min or 5mo.');
    expect(t('en', 'alert.late.why', { since: '2021-10-15', after: '2021-09-30', days: 1, date: '2021-10-20' })).toContain('A break within 1 day of the alert');
  });

  test('GIVEN every text with a plural THEN it reads for 0, 1, 2 and 1,000 in every language, with no syntax left over', () => {
    const left: string[] = [];
    let plurals = 0;
    for (const lang of LANGS) {
      for (const key of allKeys(lang)) {
        const names = [...t(lang, key).matchAll(/\{(\w+), plural,/g)].map((m) => m[1]!);
        plurals += names.length;
        for (const n of [0, 1, 2, '1,000']) {
          const text = t(lang, key, Object.fromEntries(names.map((k) => [k, n])));
          if (/plural,|#/.test(text)) left.push(`${lang}/${key}: ${text}`);
        }
      }
    }
    expect(left).toEqual([]);
    expect(plurals).toBeGreaterThanOrEqual(5);
  });

  test('GIVEN every essay level and era THEN its note and name come from the catalogue in every language', () => {
    for (const lang of LANGS) {
      for (const l of ESSAY_LEVELS) expect(l.note[lang]).not.toMatch(/^level\.note\./);
      for (const e of ERAS) expect(e.name[lang]).not.toMatch(/^era\./);
    }
  });

  test('GIVEN a language without a text THEN its fallback answers (zh-CN reads an old zh-TW-only note)', () => {
    expect(localizeText({ en: 'Floor', 'zh-TW': '地板' }, 'zh-CN')).toBe('地板');
    expect(localizeText({ en: 'Floor' }, 'zh-TW')).toBe('Floor');
    // A message stored before zh-CN existed still parses.
    expect(parseMessage(JSON.stringify({ lines: [{ en: 'a', 'zh-TW': 'b' }] })).ok).toBe(true);
    expect(parseMessage(JSON.stringify({ lines: [{ 'zh-TW': 'b' }] })).ok).toBe(false);
  });
});

describe('the language list', () => {
  test.each([
    ['zh-hans', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-sg', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh-Hans-HK', 'zh-CN'],
    ['zh-hant', 'zh-TW'],
    ['zh-TW', 'zh-TW'],
    ['zh-hk', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['zh-MO', 'zh-TW'],
    ['zh_MO', 'zh-TW'],
    ['zh-Hant-HK', 'zh-TW'],
    ['zh-Hant-TW', 'zh-TW'],
    ['zh', 'zh-TW'],
    ['en-GB', 'en'],
    ['fr', 'en'],
  ] as const)('GIVEN the client code %s THEN %s', (code, lang) => {
    expect(langFromCode(code)).toBe(lang);
  });

  test.each([
    ['简体', 'zh-CN'],
    ['cn', 'zh-CN'],
    ['ZH-CN', 'zh-CN'],
    ['繁中', 'zh-TW'],
    ['zh', 'zh-TW'],
    ['English', 'en'],
    ['英文', 'en'],
    ['英语', 'en'],
    ['fr', undefined],
  ] as const)('GIVEN /lang %s THEN %s', (input, lang) => {
    expect(langFromInput(input)).toBe(lang);
  });

  test.each([
    ['中文', undefined, 'zh-TW'],
    ['中文', 'en', 'zh-TW'],
    ['中文', 'zh-TW', 'zh-TW'],
    ['中文', 'zh-CN', 'zh-CN'],
    ['漢語', 'zh-CN', 'zh-CN'],
    ['Chinese', 'zh-CN', 'zh-CN'],
    ['Chinese', 'en', 'zh-TW'],
    // The bare code is Chinese without its script too, as a reader types it (a client's `zh` is read by langFromCode).
    ['zh', 'zh-CN', 'zh-CN'],
    ['ZH', 'zh-TW', 'zh-TW'],
    ['zh', 'en', 'zh-TW'],
    ['zh', undefined, 'zh-TW'],
    // Named with its script, the script wins whatever the chat reads.
    ['繁體中文', 'zh-CN', 'zh-TW'],
    ['简体', 'zh-TW', 'zh-CN'],
  ] as const)("GIVEN /lang %s in a chat reading %s THEN %s: Chinese without its script keeps the chat's own", (input, current, lang) => {
    expect(langFromInput(input, current)).toBe(lang);
  });

  test.each([
    ['中文', 'en', 'zh-CN', 'zh-CN'],
    ['中文', undefined, 'zh-CN', 'zh-CN'],
    ['汉语', 'en', 'zh-CN', 'zh-CN'],
    ['中文', 'en', 'zh-TW', 'zh-TW'],
    ['中文', 'en', 'en', 'zh-TW'],
    // The chat's own Chinese first: a Simplified reader in a Traditional chat keeps it Traditional.
    ['中文', 'zh-TW', 'zh-CN', 'zh-TW'],
    ['中文', 'zh-CN', 'zh-TW', 'zh-CN'],
    // Named with its script, the script wins whoever types it.
    ['繁體', 'en', 'zh-CN', 'zh-TW'],
  ] as const)(
    "GIVEN /lang %s in a chat reading %s, typed by a reader whose app reads %s, THEN %s: the reader's Chinese where the chat reads none",
    (input, current, reader, lang) => {
      expect(langFromInput(input, current, reader)).toBe(lang);
    },
  );

  test('GIVEN the list THEN Telegram gets one menu per two-letter code (the default English, zh Traditional) and Discord each Chinese locale', () => {
    // Those of these three (a language added to langs.ts brings its own: tests/languages.test.ts).
    expect(MENU_LANGS.filter((m) => ['en', 'zh-TW', 'zh-CN'].includes(m.lang))).toEqual([
      { code: undefined, lang: 'en' },
      { code: 'zh', lang: 'zh-TW' },
    ]);
    expect(localizations((l) => `x-${l}`)).toMatchObject({ 'zh-TW': 'x-zh-TW', 'zh-CN': 'x-zh-CN' });
  });

  test('GIVEN every language THEN its name is in every catalogue and /lang offers it', async () => {
    for (const l of LANGS) for (const reader of LANGS) expect(t(reader, `chat.lang.${l}`)).not.toBe(`chat.lang.${l}`);
    const usage = t('en', 'chat.err.lang', { input: 'x', langs: LANGS.join(', ') });
    for (const l of LANGS) expect(usage).toContain(l);
  });
});

/** What a Chinese reader would stop at. Each rule: a name and the pattern that finds it. */
const HAN = '\\p{Script=Han}\\u3000-\\u303F\\uFF00-\\uFFEF';
const RULES: readonly [string, RegExp][] = [
  ['a space between two Han words', new RegExp(`[${HAN}] +[${HAN}]`, 'u')],
  ['a half-width bracket', /[()]/],
  ['a space before full-width punctuation', / [（「『“，。：；、！？）」』”]/],
  ['a space after an opening full-width bracket', /[（「『“] /],
  ['half-width punctuation after a Han character', /\p{Script=Han}[,:;!?]/u],
  ['你 where the product says 您', /你/],
  // 曾11 次: a count glued to the word before it and spaced from its measure word after.
  ['a number glued before and spaced after, between Han', /\p{Script=Han}\d+(?:[.,]\d+)* \p{Script=Han}/u],
  // As the catalogue writes its Latin words (跑贏 M2), and t() spaces a Latin value (QQQ 跑贏).
  ['a Latin letter touching a Han character', /[A-Za-z]\p{Script=Han}|\p{Script=Han}[A-Za-z]/u],
];

function problems(lang: Lang, where: string, text: string): string[] {
  const out = RULES.filter(([, re]) => re.test(text)).map(([name]) => `${where}: ${name}: ${text}`);
  // A zh-TW text with 数 or a zh-CN text with 數 was copied from the other (tests/helpers/han-scripts.ts lists them).
  const han = LANG_INFO[lang].hanScript;
  if (han !== undefined && otherScript(han, text).length > 0) out.push(`${where}: a character of the other script: ${text}`);
  // 數據 is the mainland word; Taiwan writes 資料.
  if (lang === 'zh-TW' && /數據/.test(text)) out.push(`${where}: 數據 (資料 in Taiwan): ${text}`);
  // A year spaced from its 年 (2025 年起) where every date is written close (2022年1月19日): the
  // digest's era name and its break date, one sentence apart, in two styles.
  if (/(?:1[89]|20)\d{2} 年/.test(text)) out.push(`${where}: a year spaced from 年: ${text}`);
  // A date the bot writes the Chinese way (2026年8月22日) beside a bare ISO one: two styles in one
  // sentence. What the reader typed, echoed back, is quoted (「2099-01-01」), as every echo is.
  if (/\d{4}年\d{1,2}月/.test(text) && /(?<![\d「“])\d{4}-\d{2}(?:-\d{2})?(?![\d」”])/.test(text))
    out.push(`${where}: an ISO date unquoted beside a Chinese one: ${text}`);
  return out;
}

/** A realistic value for each placeholder, in the language (Chinese-valued ones in Chinese). */
function sample(lang: Lang, key: string, name: string): string | number | undefined {
  const date = fmtDate('2026-08-21', lang);
  const values: Record<string, string | number> = {
    pair: t(lang, 'pair.spx-gold'),
    pairs: `${t(lang, 'pair.spx-gold')}${t(lang, 'chat.list.sep')}${t(lang, 'pair.qqq-gold')}`,
    name: t(lang, 'instrument.spx'),
    numerator: t(lang, 'instrument.spx'),
    denominator: t(lang, 'instrument.gold'),
    era: ERAS[3]!.name[lang],
    note: ESSAY_LEVELS[1]!.note[lang],
    lang: t(lang, 'chat.lang.zh-CN'),
    range: t(lang, 'chart.range.1Y'),
    scale: t(lang, 'chart.scale.linear'),
    ago: fmtSince(1700, lang),
    age: formatAge(5 * 60_000, lang),
    numeratorAge: formatAge(4 * 3_600_000, lang),
    denominatorAge: formatAge(3 * 86_400_000, lang),
    date,
    base: fmtDate('1999-03-10', lang),
    window: t(lang, 'chart.range.window', { from: fmtDate('2007-01-03', lang), to: fmtDate('2009-12-31', lang) }),
    title: t(lang, 'chat.chart.title', { pair: t(lang, 'pair.qqq-gold'), range: t(lang, 'chart.range.short.5Y') }),
    asked: fmtDate('1998-01-01', lang),
    launch: fmtDate('1999-03-10', lang),
    today: date,
    // The close of a day named (/mute until friday close) and the next one's, as the language writes a date.
    day: date,
    nextDay: date,
    last: date,
    latest: date,
    // A revised close's ratio in a correction; elsewhere a date, through the language as the code gives it.
    to: key === 'alert.correction.why' ? '1.349' : date,
    dates: '2011-09-06 – 2020-01-02',
    // The closures a 1D spans, as digest.ts daySpanLine writes them.
    closed: t(lang, 'digest.closedRange', { from: fmtDate('2001-09-11', lang), to: fmtDate('2001-09-14', lang) }),
    month: fmtMonth('2026-07-01', lang),
    until: formatMoment(Date.UTC(2026, 10, 24, 1, 30), 'Asia/Taipei', lang),
    next: formatMoment(Date.UTC(2026, 10, 24, 0, 30), 'UTC', lang),
    moment: `${date} 09:30`,
    zone: 'Asia/Taipei',
    city: t(lang, 'zone.city.Asia/Kolkata'),
    region: t(lang, 'zone.region.Asia'),
    // A Telegram group's title, as its members named it.
    chat: lang === 'zh-CN' ? '黄金比价群' : lang === 'zh-TW' ? '黃金比價群' : 'Gold Ratio Club',
    chatZone: 'Europe/Paris',
    offset: 'UTC+8',
    now: '0.1500',
    // How many times a level is from the ratio: a written figure, 5 or more (FAR_FACTOR), never one.
    times: '1,390',
    other: t(lang, 'pair.spx-gold'),
    otherNow: '1.390',
    time: '08:30',
    level: '2.5',
    // A decided event as chat/commands/reference.ts eventText says it (chat.sub.missed).
    event: t(lang, 'chat.event.cross-down', { level: '2.5', value: '2.400' }),
    edge: '0.7',
    levels: `2.5${t(lang, 'chat.list.sep')}0.25`,
    value: '1.391',
    close: '6,512.34',
    price: '5,800.00',
    usd: key.startsWith('digest.') ? '+1,297%' : fmtIndex(1397.2, lang),
    gold: key.startsWith('digest.') ? '-12%' : fmtIndex(88.1, lang),
    m2: key.startsWith('digest.') ? '14%' : fmtIndex(140.5, lang),
    d1: fmtPct(0.43, lang),
    m1: fmtPct(-9.37, lang),
    w1: fmtPct(1.2, lang),
    ytd: fmtPct(7.24, lang),
    distance: '+79.9%',
    change: '+2.96%',
    outcome: t(lang, 'chat.levels.record.short.high', { pct: '9.64%' }),
    pct: key.startsWith('chat.levels.record.')
      ? '9.64%'
      : key === 'digest.m2' || key === 'chat.power.m2'
        ? '+4.1%'
        : key.startsWith('chat.power.')
          ? '14%'
          : '3',
    // A story's count past ten, the one written in digits (曾12次), as a long-watched level reaches.
    count: key.startsWith('digest.story') ? t(lang, 'digest.count.11', { n: 12 }) : 10,
    n: 3,
    year: 2011,
    // An hour an example writes after a part of the day (chat.dayPart.hour: 早上8點).
    hour: 8,
    max: 20,
    kept: 100,
    rows: 6900,
    seconds: 30,
    input: 'abc',
    // A number's two readings (chat.err.numberEither: "1,500" as 1.5 or 1500), strings as the chat echoes them.
    decimal: '1.5',
    thousands: '1500',
    // A move's percent and days typed as one word (chat.err.percentOrDays: "10,20"), its two numbers as typed.
    pctTyped: '10',
    daysTyped: '20',
    query: 'dow',
    // The word for a few typed (chat.readAs.aFew), Chinese's as a Chinese reader types it.
    word: lang === 'en' ? 'a few' : '幾',
    // A span said as a range (chat.err.spanRange.*): its two ends, as numbers.
    low: 1,
    high: 2,
    choices: 'add, remove',
    // The ranges as the language names them (chat/parse.ts lists chart.range.short.* in the chat's language).
    ranges: fmtList(
      CHART_RANGES.map((r) => t(lang, `chart.range.short.${r}`)),
      lang,
    ),
    most: 999,
    // Unfetched ranges past the two named (chat.status.unfetchedMore).
    more: 3,
    all: t(lang, 'chart.range.short.MAX'),
    langs: LANGS.join(', '),
    channel: '#alerts',
    role: '@alerts',
    permission: t(lang, 'discord.perm.SendMessages'),
    source: 'yahoo',
    sources: 'yahoo, fred',
    path: '/tmp/chart.png',
    list: `0.25 · ${ESSAY_LEVELS[4]!.note[lang]}`,
    label: t(lang, 'chat.history.historic'),
    id: 'spx-gold-9',
    command: 'quiet',
    near: 'mylevels',
    first: fmtDate('2022-01-31', lang),
    since: fmtDate('2024-01-05', lang),
    after: fmtDate('2024-01-03', lang),
    sent: fmtDate('2024-01-17', lang),
    closes: 3,
    hold: 5,
    abbreviation: 'CST',
    // A place of two clocks, and what is said of it first (chat/labels.ts twoClocksSaid).
    place: pickLang(URUMQI, lang),
    clocks: t(lang, 'zone.twoClocks', { place: pickLang(URUMQI, lang) }),
    // A US market holiday a mute ends before (/mute until thanksgiving), and the other reading of `next friday`.
    holiday: t(lang, 'chat.holiday.thanksgiving'),
    alt: t(lang, 'chat.readAs.nextWeekday.close', { date: fmtDate('2026-11-27', lang) }),
    min: 1,
    start: '23:00',
    end: '07:00',
    example: '/quiet 23:00-07:00 America/Chicago',
    hours: '/quiet 23:00-07:00',
    zoned: '/quiet 23:00-07:00 UTC-7',
    typed: '10:00-06:00',
    iso: '2021-06-05',
    md: 'March 4',
    // The week before, to type (chat.err.thisWeekNoClose), as the reader's script writes it.
    lastWeek: lang === 'zh-TW' ? '上週' : lang === 'zh-CN' ? '上周' : 'last week',
    dm: '3 April',
    mdEx: 'Mar 4',
    dmEx: 'Apr 3',
    one: '22:00-06:00',
    two: '10:00-18:00',
    length: 20,
    // A daytime quiet window's reverse, offered on a button (quiet.nightInstead).
    night: '23:00–07:00',
    examples: fmtList(['/lang en', '/lang zh-CN'], lang),
    at: `${date} 05:10`,
    what: t(lang, 'alert.cross-down', { pair: t(lang, 'pair.spx-gold'), level: '2.5', value: '2.490' }),
    from: '1.352',
    fromDate: fmtDate('2026-07-24', lang),
    days: 20,
    // A move's longest span in weeks and months (chat.err.moveSpanLong).
    weeks: 50,
    // An ISO week its year lacks (chat.err.noSuchWeek).
    week: 53,
    months: 11,
    missing: fmtList([t(lang, 'chat.missing.percent'), t(lang, 'chat.missing.days')], lang),
    series: fmtList([t(lang, 'instrument.spx'), t(lang, 'instrument.m2')], lang),
    move: t(lang, 'move.item', { pair: t(lang, 'pair.spx-gold'), pct: '10', days: 20 }),
    permissions: fmtList([t(lang, 'discord.perm.ViewChannel'), t(lang, 'discord.perm.SendMessages')], lang),
    link: 'https://discord.com/oauth2/authorize?client_id=1&scope=bot+applications.commands&permissions=52224',
  };
  return values[name];
}

/** The other forms of a value whose words change with it: each must read well where the placeholder stands. */
const FORMS: Record<string, (lang: Lang) => (string | number)[]> = {
  // Days, whole months, over so many months (超過 12 個月), years.
  ago: (lang) => [1, 20, 61, 107, 400, 1700].map((d) => fmtSince(d, lang)),
  // Under a minute too (不到一分鐘: Han after a value, 黃金不到一分鐘前, where 黃金 3 分鐘前 keeps its space).
  age: (lang) => [20_000, 5 * 60_000, 4 * 3_600_000, 3 * 86_400_000].map((ms) => formatAge(ms, lang)),
  numeratorAge: (lang) => [20_000, 5 * 60_000, 3 * 86_400_000].map((ms) => formatAge(ms, lang)),
  denominatorAge: (lang) => [20_000, 5 * 60_000, 3 * 86_400_000].map((ms) => formatAge(ms, lang)),
};

describe('Chinese typography', () => {
  test('GIVEN the rules THEN they catch the mistakes the review found', () => {
    const zh: Lang = 'zh-TW';
    expect(problems(zh, 'x', '自 1999年3月10日 起')).not.toEqual([]);
    expect(problems(zh, 'x', '已新增 標普500/黃金 的自訂水位')).not.toEqual([]);
    expect(problems(zh, 'x', '每日摘要 (UTC)')).not.toEqual([]);
    expect(problems(zh, 'x', '目前 1.450 （即時）')).not.toEqual([]);
    expect(problems(zh, 'x', '水位突破時會通知你')).not.toEqual([]);
    expect(problems(zh, 'x', '資料來源：數據')).not.toEqual([]);
    expect(problems('zh-CN', 'x', '資料来源')).not.toEqual([]);
    expect(problems(zh, 'x', 'QQQ跑贏 M2')).not.toEqual([]);
    expect(problems(zh, 'x', '此後曾11 次收在 2.5 之上')).not.toEqual([]);
    expect(problems(zh, 'x', '標普500/黃金（2025 年起：貨幣重置）')).not.toEqual([]);
    expect(problems(zh, 'x', '此後 4.9 年，最多 100 年')).toEqual([]);
    expect(problems(zh, 'x', '日期 2099-01-01 尚未到來（今天是2026年8月22日）。')).not.toEqual([]);
    expect(problems(zh, 'x', '日期「2099-01-01」尚未到來（今天是2026年8月22日）。')).toEqual([]);
    expect(problems(zh, 'x', '自1999年3月10日起，目前 1.450（即時）')).toEqual([]);
    expect(problems('zh-CN', 'x', '距今 超过 12 个月：')).not.toEqual([]);
  });

  test.each(HAN_LANGS)('GIVEN every %s catalogue text with realistic values THEN no typography mistake', (lang) => {
    const found: string[] = [];
    const unknown = new Set<string>();
    for (const key of allKeys(lang)) {
      const params: Record<string, string | number> = {};
      for (const [, name] of t(lang, key).matchAll(/\{(\w+)\}/g)) {
        const v = sample(lang, key, name!);
        if (v === undefined) unknown.add(name!);
        else params[name!] = v;
      }
      found.push(...problems(lang, key, t(lang, key, params)));
      // Each other form a value takes (超過 12 個月 starts with Han where 20 天 starts with a digit).
      for (const [name, forms] of Object.entries(FORMS)) {
        if (params[name] === undefined) continue;
        for (const form of forms(lang)) found.push(...problems(lang, `${key} ({${name}}: ${form})`, t(lang, key, { ...params, [name]: form })));
      }
      // The same text naming QQQ, a Latin name: t() spaces it from the Han around it.
      const latin = { ...params, ...(params.name !== undefined ? { name: 'QQQ' } : {}), ...(params.zone !== undefined ? { zone: 'UTC' } : {}) };
      found.push(...problems(lang, `${key} (QQQ)`, t(lang, key, latin)));
    }
    expect([...unknown]).toEqual([]);
    expect(found).toEqual([]);
  });

  test('GIVEN a Latin value beside Han THEN a space between them; a Chinese one, or one that starts with a digit, stays close', () => {
    expect(t('zh-TW', 'chat.power.beat', { name: 'QQQ', pct: '128%' })).toBe('QQQ 跑贏 M2 128%，屬實質成長。');
    expect(t('zh-TW', 'chat.power.beat', { name: '標普500指數', pct: '72%' })).toBe('標普500指數跑贏 M2 72%，屬實質成長。');
    expect(t('zh-TW', 'chat.power.title', { base: '2020年3月2日', date: '2026年8月21日' })).toBe('以2020年3月2日為 100，截至2026年8月21日：');
    expect(t('en', 'chat.power.beat', { name: 'QQQ', pct: '128%' })).toBe('QQQ beat M2 by 128%: real growth.');
    // The catalogue's space before a value for its digits (距今 20 天) goes when the value starts in Han.
    expect(t('zh-CN', 'digest.stale', { last: '2025年7月1日', ago: fmtSince(400, 'zh-CN') })).toContain('距今超过 13 个月：');
    expect(t('zh-TW', 'digest.stale', { last: '2026年8月1日', ago: fmtSince(20, 'zh-TW') })).toContain('距今 20 天：');
    // Between two values, by what each is: 黃金 3 分鐘前, but 黃金不到一分鐘前.
    const ages = (lang: Lang, ms: number) => ({
      numerator: t(lang, 'instrument.spx'),
      numeratorAge: formatAge(ms, lang),
      denominator: t(lang, 'instrument.gold'),
      denominatorAge: formatAge(ms, lang),
    });
    expect(t('zh-TW', 'chat.ratio.age', ages('zh-TW', 20_000))).toBe('資料時間：標普500指數不到一分鐘前，黃金不到一分鐘前');
    expect(t('zh-CN', 'chat.ratio.age', ages('zh-CN', 0))).toBe('数据时间：标普500指数不到一分钟前，黄金不到一分钟前');
    expect(t('zh-TW', 'chat.ratio.age', ages('zh-TW', 3 * 60_000))).toBe('資料時間：標普500指數 3 分鐘前，黃金 3 分鐘前');
    expect(t('en', 'chat.status.live', { price: '5,000.00', age: formatAge(59_000, 'en') })).toBe('live 5,000.00, under a minute ago');
    expect(t('en', 'chat.chart.source', { source: 'yahoo', age: formatAge(60_000, 'en') })).toBe('Source: yahoo · data 1 min old');
  });

  test.each(HAN_LANGS)('GIVEN the essay levels and eras in %s THEN no typography mistake', (lang) => {
    const texts = [...ESSAY_LEVELS.map((l) => l.note[lang]), ...ERAS.map((e) => e.name[lang])];
    expect(texts.flatMap((s, i) => problems(lang, `level/era ${i}`, s))).toEqual([]);
  });
});

describe('Chinese as the commands answer', () => {
  let w: ChatWorld | undefined;
  afterEach(() => w?.close());

  // Each command bare, with typical arguments and with a bad one: what a user sees in a chat.
  const CALLS: readonly [string, readonly string[]][] = [
    ...CHAT_COMMANDS.map((c): [string, readonly string[]] => [c.name, []]),
    ['ratio', ['spx']],
    ['ratio', ['dow']],
    ['chart', ['qqq', '5y']],
    ['chart', ['power']],
    ['power', ['2010-01-04']],
    ['power', ['2099-01-01']],
    // A date as a Chinese reader types it, echoed back (no such day; a future quarter).
    ['power', ['2023年2月30日']],
    ['chart', ['spx', '2027年第一季']],
    ['history', ['spx']],
    ['subscribe', ['spx', '2.5']],
    ['mylevels', ['add', 'spx', '1.8']],
    ['mylevels', []],
    ['mute', ['2h']],
    ['mute', ['forever']],
    ['subscribe', ['0.9']],
    ['digest', ['08:30', 'Asia/Taipei']],
    ['digest', ['25:00']],
    ['digest', ['now']],
    ['lang', ['klingon']],
    ['quiet', ['23:00-07:00', 'Asia/Taipei']],
    ['quiet', ['23:00-07:00', 'CST']],
    ['quiet', ['25:00-07:00']],
    ['quiet', ['off']],
    ['move', ['spx', '10', '20']],
    ['move', ['spx', '500', '20']],
    ['move', ['remove', 'qqq', '10', '20']],
  ];

  test.each(HAN_LANGS)('GIVEN a %s chat THEN every reply keeps Chinese typography', async (lang) => {
    w = chatWorld();
    const code = lang === 'zh-CN' ? 'zh-hans' : 'zh-hant';
    const found: string[] = [];
    for (const [name, args] of CALLS) {
      const r = await findCommand(name)!.run(w.deps, chatCtx({ userLanguageCode: code, admin: true }), args);
      const text = plainText(r);
      for (const line of text.split('\n')) found.push(...problems(lang, `/${name} ${args.join(' ')}`, line));
      for (const b of (r.buttons ?? []).flat()) found.push(...problems(lang, `/${name} button`, b.label));
    }
    expect(found).toEqual([]);
  });

  test('GIVEN zh-TW and zh-CN THEN the same reply is written in each script, dates through the language', async () => {
    w = chatWorld();
    const tw = plainText(await findCommand('ratio')!.run(w.deps, chatCtx({ userLanguageCode: 'zh-hant' }), ['spx']));
    const cn = plainText(await findCommand('ratio')!.run(w.deps, chatCtx({ userLanguageCode: 'zh-hans' }), ['spx']));
    expect(tw).toContain('標普500/黃金：1.390（2026年11月20日收盤）');
    expect(tw).toContain('單日 +2.96% · 近1個月 -0.71% · 今年以來 -7.33%');
    expect(tw).toContain('上檔壓力：2.5');
    expect(cn).toContain('标普500/黄金：1.390（2026年11月20日收盘）');
    expect(cn).toContain('上方阻力：2.5');
  });
});

describe('how long ago (fmtSince)', () => {
  // A digest said "4 months ago" of a close 107 days old (three and a half months): the months past are said, as "over".
  test.each([
    [59, '59 days', '59 天', '59 天'],
    [60, '2 months', '2 個月', '2 个月'],
    [90, '3 months', '3 個月', '3 个月'],
    [94, 'over 3 months', '超過 3 個月', '超过 3 个月'],
    [107, 'over 3 months', '超過 3 個月', '超过 3 个月'],
    [120, '4 months', '4 個月', '4 个月'],
    [729, '24 months', '24 個月', '24 个月'],
    [710, 'over 23 months', '超過 23 個月', '超过 23 个月'],
    [730, '2.0 years', '2.0 年', '2.0 年'],
  ] as const)('GIVEN %i days THEN %s / %s / %s', (days, en, tw, cn) => {
    expect([fmtSince(days, 'en'), fmtSince(days, 'zh-TW'), fmtSince(days, 'zh-CN')]).toEqual([en, tw, cn]);
  });
});

describe('how long ago from one day to another (fmtSinceDay): the months the calendar counts', () => {
  // By mean months (30.44 days) 2000-11-28 to 2002-03-28, sixteen months to the day, was "over 15 months".
  test.each([
    ['2000-11-28', '2002-03-28', '16 months', '16 個月', '16 个月'],
    ['2000-11-28', '2002-04-01', 'over 16 months', '超過 16 個月', '超过 16 个月'],
    ['2000-11-28', '2002-03-26', '16 months', '16 個月', '16 个月'],
    ['2000-11-28', '2002-03-25', 'over 15 months', '超過 15 個月', '超过 15 个月'],
    // A month on from the 31st is the next month's last day.
    ['2023-12-31', '2024-02-29', '2 months', '2 個月', '2 个月'],
    ['2011-11-30', '2012-03-31', '4 months', '4 個月', '4 个月'],
    ['2024-01-01', '2024-02-29', '59 days', '59 天', '59 天'],
    ['2024-01-01', '2025-12-31', '2.0 years', '2.0 年', '2.0 年'],
  ] as const)('GIVEN %s read on %s THEN %s / %s / %s', (from, to, en, tw, cn) => {
    expect([fmtSinceDay(from, to, 'en'), fmtSinceDay(from, to, 'zh-TW'), fmtSinceDay(from, to, 'zh-CN')]).toEqual([en, tw, cn]);
  });
});
