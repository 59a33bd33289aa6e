/**
 * Each Chinese catalogue in its own script and its own region's words, every text of it: a zh-CN
 * text with 數 (or 设定, Taiwan's word where the mainland says 设置) was copied from zh-TW, a zh-TW
 * one with 数 (or 數據) from zh-CN; and no English left where a Chinese reader reads (a gloss such as
 * 「去年」（last year） or a city named Tehran). No converter is installed: the characters are listed
 * here, pairs of a Traditional character and its Simplified twin, from the words the catalogues
 * use and the ones a translator would reach for next.
 */
import { describe, expect, test } from 'vitest';
import { allKeys, t, type Lang } from '../../src/domain/i18n/index.ts';
import { ERAS, ESSAY_LEVELS } from '../../src/domain/levels.ts';
import { discordCommandDefinitions } from '../../src/platforms/discord/manifest.ts';
import { HAN_TWINS } from '../../src/domain/han-fold.ts';

/** Traditional and Simplified twins: each pair is written one way in Taiwan, the other on the mainland. */
const PAIRS = [
  ...'們们這这個个區区點点說说時时對对過过開开關关與与為为來来從从會会圖图資资訊讯設设選选擇择實实際际數数據据',
  ...'亞亚倫伦側侧備备傳传僅仅價价億亿儲储內内兩两則则剛刚刪删動动勞劳匯汇卻却員员問问啟启單单嗎吗國国圍围報报壓压',
  ...'奧奥寫写寬宽將将屬属帶带幣币庫库張张彙汇後后復复態态應应擾扰斷断暫暂曆历東东條条構构標标樣样機机檔档檢检權权',
  ...'歷历沒没況况減减測测溫温滾滚滿满漲涨無无爾尔狀状獨独現现畫画當当發发盤盘確确磯矶種种稱称穩稳筆笔節节簡简紀纪',
  ...'約约納纳紐纽純纯級级組组結结給给統统經经維维線线緣缘編编總总續续聖圣舊旧華华蓋盖蘇苏蘭兰處处虛虚補补複复見见',
  ...'視视覽览觸触訂订計计討讨記记許许詢询試试話话該该誌志認认誕诞語语調调請请論论諾诺識识變变讓让貨货買买貼贴購购',
  ...'贏赢蹤踪較较載载輔辅輯辑輸输連连週周進进達达還还鈕钮錄录鍵键鎖锁鐘钟長长門门閉闭間间閱阅陣阵陸陆隨随離离難难',
  ...'靜静韓韩頂顶項项須须預预頭头頻频題题類类顯显馬马體体鬆松鳳凤麼么黃黄亂乱龍龙錯错誤误氣气極极齊齐歲岁連连廣广',
  ...'灣湾臺台門门號号禮礼幫帮鬥斗鬧闹網网絡络軟软體体庫库載载優优質质創创壞坏聯联戶户帳账號号邊边準准',
];
/** Simplified twins a Traditional text writes too, in other words: 皇后, 公里, 范 (a name), 松樹, 准許, 周末 (Taiwan writes 週末 and 周末), 台北, 志願, 茶几, 斗. */
const BOTH_SCRIPTS = new Set('后里范松准周台志几斗');

const trad = PAIRS.filter((_, i) => i % 2 === 0);
const simp = PAIRS.filter((_, i) => i % 2 === 1);
const TRADITIONAL_ONLY = new Set(trad.filter((c, i) => c !== simp[i]));
const SIMPLIFIED_ONLY = new Set(simp.filter((c, i) => c !== trad[i] && !BOTH_SCRIPTS.has(c)));

/** What a reader of the other script would see: each character of `text` that only the other script writes. */
function otherScript(lang: 'zh-TW' | 'zh-CN', text: string): string[] {
  const foreign = lang === 'zh-CN' ? TRADITIONAL_ONLY : SIMPLIFIED_ONLY;
  return [...new Set([...text].filter((c) => foreign.has(c)))];
}

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
    expect(otherScript('zh-CN', '资料來源：数据')).toEqual(['來']);
    expect(otherScript('zh-TW', '資料来源：數據')).toEqual(['来']);
    // Characters both scripts write are not the other's: 台北, 皇后, 周末.
    expect(otherScript('zh-TW', '台北的週末與周末，皇后')).toEqual([]);
  });
});

describe.each(['zh-TW', 'zh-CN'] as const)('every %s text', (lang) => {
  test('GIVEN the catalogue, the essay levels and eras, and Discord’s command names THEN no character only the other script writes', () => {
    const found = texts(lang).flatMap(([k, v]) => otherScript(lang, v).map((c) => `${k}: ${c} in ${v}`));
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
