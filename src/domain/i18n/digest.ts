/** The daily digest and the /digest command, and how it formats numbers and dates per language. */
import type { Catalogue, Lang } from './index.ts';

const locale = (lang: Lang) => (lang === 'zh-TW' ? 'zh-TW' : 'en-US');
const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(lang: Lang, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(opts)}`;
  let f = numberFormats.get(key);
  if (f === undefined) numberFormats.set(key, (f = new Intl.NumberFormat(locale(lang), opts)));
  return f;
}

/** 2.5, 0.03, 4.5: a level or a threshold, as short as it is exact. */
export const fmtNumber = (v: number): string => String(Number(v.toPrecision(6)));

/** +1.23% / -0.4% / +496%: two decimals under 10, one under 100, none above. */
export function fmtPct(v: number, lang: Lang, signed = true): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  const digits = a < 10 ? 2 : a < 100 ? 1 : 0;
  return `${nf(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: signed ? 'exceptZero' : 'never' }).format(v)}%`;
}

/** An index (base = 100) as a change in %: 596.4 → +496%, 38.5 → -62%. */
export function fmtIndexPct(index: number, lang: Lang, signed = true): string {
  const v = index - 100;
  return `${nf(lang, { maximumFractionDigits: 0, signDisplay: signed ? 'exceptZero' : 'never' }).format(v)}%`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function df(lang: Lang, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(opts)}`;
  let f = dateFormats.get(key);
  if (f === undefined) dateFormats.set(key, (f = new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', ...opts })));
  return f;
}

/** Aug 21, 2026 / 2026年8月21日 */
export const fmtDate = (iso: string, lang: Lang): string => df(lang, { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(`${iso}T00:00:00Z`));
/** Jul 2026 / 2026年7月 */
export const fmtMonth = (iso: string, lang: Lang): string => df(lang, { year: 'numeric', month: 'short' }).format(new Date(`${iso.slice(0, 7)}-01T00:00:00Z`));
/** Mon, Aug 24, 2026 / 2026年8月24日 週一 */
export const fmtDay = (iso: string, lang: Lang): string =>
  df(lang, { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' }).format(new Date(`${iso}T00:00:00Z`));

/** How long ago, from calendar days: 12 days, 5 months, 4.6 years (天/個月/年). */
export function fmtSince(days: number, lang: Lang): string {
  const zh = lang === 'zh-TW';
  if (days < 60) return zh ? `${days} 天` : `${days} day${days === 1 ? '' : 's'}`;
  if (days < 730) {
    const m = Math.round(days / 30.44);
    return zh ? `${m} 個月` : `${m} months`;
  }
  const y = nf(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(days / 365.25);
  return zh ? `${y} 年` : `${y} years`;
}

const countsEn = [
  '',
  'once',
  'twice',
  'three times',
  'four times',
  'five times',
  'six times',
  'seven times',
  'eight times',
  'nine times',
  'ten times',
  '{n} times',
];
const countsZh = ['', '一次', '兩次', '三次', '四次', '五次', '六次', '七次', '八次', '九次', '十次', '{n} 次'];

/**
 * The three sentences about closes beyond a level, per kind of break (where the ratio closed):
 * one that did not hold, several, and the ones still pending at the last close (level-history.ts).
 */
function unheld(where: Record<string, string>, say: (where: string) => [string, string, string]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, w] of Object.entries(where)) {
    const [one, many, pending] = say(w);
    out[`digest.story.unheld.one.${k}`] = one;
    out[`digest.story.unheld.many.${k}`] = many;
    out[`digest.story.pending.${k}`] = pending;
  }
  return out;
}

export const digest: Catalogue = {
  en: {
    'digest.title': 'goldratio digest · US close of {date}',
    'digest.pair': '{pair} {value} · 1D {d1} · 1W {w1} · YTD {ytd}',
    'digest.pair.older': '{pair} {value} as of {date}, its last close · 1D {d1} · 1W {w1} · YTD {ytd}',
    'digest.above': '↑ {level} ({distance})',
    'digest.below': '↓ {level} ({distance})',
    'digest.inside': 'inside the {level} zone',
    'digest.approaching': 'Approaching {level} (within {pct}%)',
    'digest.power.title': 'Since {base} (only what beats M2 is real):',
    'digest.name.spx': 'S&P 500',
    'digest.name.qqq': 'QQQ',
    'digest.power.above': '{name} {usd} in USD, {gold} in gold, +{m2} above M2',
    'digest.power.below': '{name} {usd} in USD, {gold} in gold, {m2} below M2',
    'digest.m2': 'M2 {pct} year over year ({month})',
    'digest.story.era': '{pair}, {era}:',
    'digest.story.noBreak': 'no essay level broken in the stored history.',
    'digest.story.break.up': 'last broke above {level} on {date} ({ago} ago).',
    'digest.story.break.down': 'last broke below {level} on {date} ({ago} ago).',
    'digest.story.break.zone-enter.up': 'last rose into the {level} zone on {date} ({ago} ago).',
    'digest.story.break.zone-enter.down': 'last fell into the {level} zone on {date} ({ago} ago).',
    'digest.story.break.zone-exit.up': 'last rose out of the {level} zone on {date} ({ago} ago).',
    'digest.story.break.zone-exit.down': 'last fell out of the {level} zone on {date} ({ago} ago).',
    'digest.story.retest.one.below': 'Since then it came within {pct}% of {level} once and fell back ({last}).',
    'digest.story.retest.many.below': 'Since then it came within {pct}% of {level} {count} and fell back each time (last {last}).',
    'digest.story.retest.one.above': 'Since then it came down to within {pct}% of {level} once and held above it ({last}).',
    'digest.story.retest.many.above': 'Since then it came down to within {pct}% of {level} {count} and held above it each time (last {last}).',
    ...unheld(
      {
        up: 'above {level}',
        down: 'below {level}',
        'zone-enter.up': 'inside the {level} zone',
        'zone-enter.down': 'inside the {level} zone',
        'zone-exit.up': 'above the {level} zone',
        'zone-exit.down': 'below the {level} zone',
      },
      (where) => [
        `Since then it closed ${where} on {first} but did not hold.`,
        `Since then it closed ${where} {count} without holding (first {first}, last {last}).`,
        `It has closed ${where} since {date}, not yet held ({closes} of the {hold} closes in a row a break needs).`,
      ],
    ),
    ...Object.fromEntries(countsEn.map((c, i) => [`digest.count.${i}`, c]).slice(1)),
    'chat.cmd.digest': 'A daily digest at your hour: /digest 08:00 Asia/Taipei',
    'chat.digest.off': 'The daily digest is off. Turn it on with /digest 08:00 Asia/Taipei.',
    'chat.digest.on': 'Daily digest at {time} ({zone}). Next: {next}.',
    'chat.digest.set': 'Daily digest set for {time} ({zone}). Next: {next}.',
    'chat.digest.setDefaultZone': "Daily digest set for {time} ({zone}: no time zone given, so this chat's zone). Next: {next}.",
    'chat.digest.stopped': 'Daily digest turned off.',
    'chat.digest.pickZone': 'Or pick a time zone:',
    'chat.digest.zoneNeedsTime': 'A time zone needs a time: /digest 08:00 {zone}',
    'chat.digest.whichZone': '{abbreviation} is the name of more than one time zone. Which one for {time}?',
    'chat.digest.noData': 'No digest yet: the history is not loaded.',
    'chat.history.historic': '(history)',
    'chart.digest.title': 'Daily digest · {pair} · {range}',
    'chat.power.m2': 'M2 grew {pct} over the same span. Only what beats M2 is real:',
    'chat.power.beat': '{name} beat M2: {pct} above it, real growth.',
    'chat.power.lost': '{name} did not beat M2: {pct} below it.',
    'chat.power.toBeforeBase': 'The end date {to} is before the base date {base}.',
    'chat.arglabel.power.to': 'end date YYYY-MM-DD',
    'chat.arglabel.digest.time': 'HH:MM|off|now',
    'chat.name.digest': 'digest',
    'chat.argname.to': 'to',
    'chat.arg.digest.time': 'HH:MM (24-hour), or off, or now for a preview',
    'chat.arg.digest.timezone': "IANA time zone, e.g. Asia/Taipei (default: this chat's zone, else UTC)",
    'chat.arg.power.to': 'End date YYYY-MM-DD: the table as of that day',
  },
  'zh-TW': {
    'digest.title': 'goldratio 每日摘要 · 美股 {date} 收盤',
    'digest.pair': '{pair} {value} · 1日 {d1} · 1週 {w1} · 今年 {ytd}',
    'digest.pair.older': '{pair} {value}（最新為 {date} 收盤） · 1日 {d1} · 1週 {w1} · 今年 {ytd}',
    'digest.above': '↑ {level}（{distance}）',
    'digest.below': '↓ {level}（{distance}）',
    'digest.inside': '位於 {level} 區間內',
    'digest.approaching': '正在接近 {level}（{pct}% 以內）',
    'digest.power.title': '自 {base} 起（唯有跑贏 M2 才是真實成長）：',
    'digest.name.spx': '標普500',
    'digest.name.qqq': 'QQQ',
    'digest.power.above': '{name} 以美元計 {usd}，以黃金計 {gold}，高於 M2 +{m2}',
    'digest.power.below': '{name} 以美元計 {usd}，以黃金計 {gold}，低於 M2 {m2}',
    'digest.m2': 'M2 年增 {pct}（{month}）',
    'digest.story.era': '{pair}，{era}：',
    'digest.story.noBreak': '已存歷史中未曾突破任何文章水位。',
    'digest.story.break.up': '上次向上突破 {level} 是 {date}（{ago}前）。',
    'digest.story.break.down': '上次跌破 {level} 是 {date}（{ago}前）。',
    'digest.story.break.zone-enter.up': '上次升入 {level} 區間是 {date}（{ago}前）。',
    'digest.story.break.zone-enter.down': '上次跌入 {level} 區間是 {date}（{ago}前）。',
    'digest.story.break.zone-exit.up': '上次升出 {level} 區間是 {date}（{ago}前）。',
    'digest.story.break.zone-exit.down': '上次跌出 {level} 區間是 {date}（{ago}前）。',
    'digest.story.retest.one.below': '此後曾一次逼近 {level}（{pct}% 以內）後回落（{last}）。',
    'digest.story.retest.many.below': '此後曾{count}逼近 {level}（{pct}% 以內），每次都回落（最近一次 {last}）。',
    'digest.story.retest.one.above': '此後曾一次回測 {level}（{pct}% 以內）並守住（{last}）。',
    'digest.story.retest.many.above': '此後曾{count}回測 {level}（{pct}% 以內），每次都守住（最近一次 {last}）。',
    ...unheld(
      {
        up: '{level} 之上',
        down: '{level} 之下',
        'zone-enter.up': '{level} 區間內',
        'zone-enter.down': '{level} 區間內',
        'zone-exit.up': '{level} 區間之上',
        'zone-exit.down': '{level} 區間之下',
      },
      (where) => [
        `此後曾於 {first} 收在 ${where}，但未能站穩。`,
        `此後曾{count}收在 ${where}，都未能站穩（首次 {first}，最近一次 {last}）。`,
        `自 {date} 起收在 ${where}，尚未站穩（已連續 {closes} 次收盤，需連續 {hold} 次）。`,
      ],
    ),
    ...Object.fromEntries(countsZh.map((c, i) => [`digest.count.${i}`, c]).slice(1)),
    'chat.cmd.digest': '每日摘要，在您選的時間：/digest 08:00 Asia/Taipei',
    'chat.digest.off': '每日摘要未開啟。以 /digest 08:00 Asia/Taipei 開啟。',
    'chat.digest.on': '每日摘要時間 {time}（{zone}）。下一次：{next}。',
    'chat.digest.set': '每日摘要已設為 {time}（{zone}）。下一次：{next}。',
    'chat.digest.setDefaultZone': '每日摘要已設為 {time}（{zone}：未指定時區，採用本聊天的時區）。下一次：{next}。',
    'chat.digest.stopped': '每日摘要已關閉。',
    'chat.digest.pickZone': '或選擇時區：',
    'chat.digest.zoneNeedsTime': '時區需搭配時間：/digest 08:00 {zone}',
    'chat.digest.whichZone': '{abbreviation} 可能指不只一個時區。{time} 是哪一個時區的時間？',
    'chat.digest.noData': '尚無摘要：歷史資料未載入。',
    'chat.history.historic': '（歷史）',
    'chart.digest.title': '每日摘要 · {pair} · {range}',
    'chat.power.m2': '同期 M2 成長 {pct}。唯有跑贏 M2 才是真實成長：',
    'chat.power.beat': '{name} 跑贏 M2：高出 {pct}，是真實成長。',
    'chat.power.lost': '{name} 未跑贏 M2：落後 {pct}。',
    'chat.power.toBeforeBase': '結束日 {to} 早於基準日 {base}。',
    'chat.arglabel.power.to': '結束日 YYYY-MM-DD',
    'chat.arglabel.digest.time': 'HH:MM|off|now',
    'chat.name.digest': '摘要',
    'chat.argname.to': '結束日',
    'chat.arg.digest.time': 'HH:MM（24 小時制），或 off 關閉，或 now 立即預覽',
    'chat.arg.digest.timezone': 'IANA 時區，例如 Asia/Taipei（預設：本聊天的時區，否則 UTC）',
    'chat.arg.power.to': '結束日 YYYY-MM-DD：截至該日的數據',
  },
};
