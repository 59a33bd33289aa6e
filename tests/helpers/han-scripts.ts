/**
 * Characters only one Chinese script writes, for the tests that read a Chinese text for the other
 * script's (tests/domain/zh-scripts.test.ts, tests/domain/i18n.test.ts): no converter is installed,
 * so the characters are listed, pairs of a Traditional character and its Simplified twin, from the
 * words the catalogues use and the ones a translator would reach for next.
 */
import type { LangInfo } from '../../src/domain/i18n/index.ts';

/** Traditional and Simplified twins: each pair is written one way in Taiwan, the other on the mainland. */
export const PAIRS = [
  ...'們们這这個个區区點点說说時时對对過过開开關关與与為为來来從从會会圖图資资訊讯設设選选擇择實实際际數数據据',
  ...'亞亚倫伦側侧備备傳传僅仅價价億亿儲储內内兩两則则剛刚刪删動动勞劳匯汇卻却員员問问啟启單单嗎吗國国圍围報报壓压',
  ...'奧奥寫写寬宽將将屬属帶带幣币庫库張张彙汇後后復复態态應应擾扰斷断暫暂曆历東东條条構构標标樣样機机檔档檢检權权',
  ...'歷历沒没況况減减測测溫温滾滚滿满漲涨無无爾尔狀状獨独現现畫画當当發发盤盘確确磯矶種种稱称穩稳筆笔節节簡简紀纪',
  ...'約约納纳紐纽純纯級级組组結结給给統统經经維维線线緣缘編编總总續续聖圣舊旧華华蓋盖蘇苏蘭兰處处虛虚補补複复見见',
  ...'視视覽览觸触訂订計计討讨記记許许詢询試试話话該该誌志認认誕诞語语調调請请論论諾诺識识變变讓让貨货買买貼贴購购',
  ...'贏赢蹤踪較较載载輔辅輯辑輸输連连週周進进達达還还鈕钮錄录鍵键鎖锁鐘钟長长門门閉闭間间閱阅陣阵陸陆隨随離离難难',
  ...'靜静韓韩頂顶項项須须預预頭头頻频題题類类顯显馬马體体鬆松鳳凤麼么黃黄亂乱龍龙錯错誤误氣气極极齊齐歲岁連连廣广',
  ...'灣湾臺台門门號号禮礼幫帮鬥斗鬧闹網网絡络軟软體体庫库載载優优質质創创壞坏聯联戶户帳账號号邊边準准',
  // The mainland cities and holidays a reader names (round 21): 重慶, 武漢, 廈門, 青島, 鄭州, 寧波, 濟南, 哈爾濱, 國慶, 勞動節, 瀋陽.
  ...'慶庆漢汉廈厦島岛鄭郑寧宁濟济濱滨勞劳陽阳瀋沈',
];
/** Simplified twins a Traditional text writes too, in other words: 皇后, 公里, 范 (a name), 松樹, 准許, 周末 (Taiwan writes 週末 and 周末), 台北, 志願, 茶几, 斗, 沈 (a name). */
const BOTH_SCRIPTS = new Set('后里范松准周台志几斗沈');

export const trad = PAIRS.filter((_, i) => i % 2 === 0);
export const simp = PAIRS.filter((_, i) => i % 2 === 1);
export const TRADITIONAL_ONLY = new Set(trad.filter((c, i) => c !== simp[i]));
export const SIMPLIFIED_ONLY = new Set(simp.filter((c, i) => c !== trad[i] && !BOTH_SCRIPTS.has(c)));

/** What a reader of `script` (a language's LANG_INFO hanScript) would stop at: each character of `text` that only the other script writes. */
export function otherScript(script: NonNullable<LangInfo['hanScript']>, text: string): string[] {
  const foreign = script === 'Hans' ? TRADITIONAL_ONLY : SIMPLIFIED_ONLY;
  return [...new Set([...text].filter((c) => foreign.has(c)))];
}
