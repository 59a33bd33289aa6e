/** The daily digest and the /digest command. */
import type { Catalogue } from './index.ts';

// The formatters moved to format.ts (one per kind of value, for every area); these names stay.
export { fmtDate, fmtIndexPct, fmtMonth, fmtNumber, fmtPct, fmtSince } from './format.ts';

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
const countsZhTw = ['', '一次', '兩次', '三次', '四次', '五次', '六次', '七次', '八次', '九次', '十次', '{n}次'];
const countsZhCn = ['', '一次', '两次', '三次', '四次', '五次', '六次', '七次', '八次', '九次', '十次', '{n}次'];

/**
 * The sentences about closes beyond a level, per kind of break (where the ratio closed): one close
 * that did not hold, several (one a run), the ones still pending at the last close (level-history.ts),
 * one run of several closes, and several runs of several.
 */
function unheld(where: Record<string, string>, say: (where: string, kind: string) => [string, string, string, string, string]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, w] of Object.entries(where)) {
    const [one, many, pending, run, runs] = say(w, k);
    out[`digest.story.unheld.one.${k}`] = one;
    out[`digest.story.unheld.many.${k}`] = many;
    out[`digest.story.unheld.run.${k}`] = run;
    out[`digest.story.unheld.runs.${k}`] = runs;
    out[`digest.story.pending.${k}`] = pending;
  }
  return out;
}

export const digest: Catalogue = {
  en: {
    'digest.title': 'goldratio digest · US close of {date}',
    'digest.without': 'The US close of {missing} has not reached the bot yet: this digest speaks about the closes to {last}.',
    'digest.stale':
      'The newest close the bot has is from {last}, {ago} ago: its daily update seems to have stopped (the operator can check with goldratio status).',
    'digest.pair': '{pair} {value} · 1D {d1} · 1W {w1} · YTD {ytd}',
    'digest.pair.older': '{pair} {value} as of {date}, its last close · 1D {d1} · 1W {w1} · YTD {ytd}',
    'digest.goldOlder': 'The ratios use the gold price of {gold}, the latest at the close of {date}.',
    'digest.closedSince': 'The 1D is since the close of {date}: the exchange was closed {closed}.',
    'digest.closedRange': '{from} – {to}',
    'digest.above': '↑ {level} ({distance})',
    'digest.below': '↓ {level} ({distance})',
    'digest.inside': 'inside the {level} zone',
    'digest.approaching.up': 'Approaching {level} (within {pct}%)',
    'digest.approaching.down': 'Approaching {level} (within {pct}%)',
    'digest.power.title': 'Since {base} (only what beats M2 is real):',
    'digest.power.titleTo': 'From {base} to {date} (only what beats M2 is real):',
    'digest.name.spx': 'S&P 500',
    'digest.name.qqq': 'QQQ',
    'digest.power.above': '{name} {usd} in USD, {gold} in gold, {m2} above M2',
    'digest.power.below': '{name} {usd} in USD, {gold} in gold, {m2} below M2',
    'digest.power.even': '{name} {usd} in USD, {gold} in gold, even with M2',
    'digest.power.noM2': '{name} {usd} in USD, {gold} in gold',
    'digest.power.m2Old': 'No M2 comparison: the latest M2 on record, {month}, is too old for this close.',
    'digest.m2': 'M2 {pct} year over year ({month})',
    'digest.story.era': '{pair} ({era}):',
    'digest.story.noBreak': 'no essay level broken in the stored history.',
    // What a sentence after the break counts from: the first "then"; later ones name the break, so
    // that "since then" is not read as since the dates of the sentence before; with no break, the stored history.
    'digest.story.since.then': 'Since then',
    'digest.story.since.date': 'Since {date}',
    'digest.story.since.stored': 'In the stored history',
    'digest.story.break.up': 'last broke above {level} on {date} ({ago} ago).',
    'digest.story.break.down': 'last broke below {level} on {date} ({ago} ago).',
    'digest.story.break.zone-enter.up': 'last rose into the {level} zone on {date} ({ago} ago).',
    'digest.story.break.zone-enter.down': 'last fell into the {level} zone on {date} ({ago} ago).',
    'digest.story.break.zone-exit.up': 'last rose out of the {level} zone on {date} ({ago} ago).',
    'digest.story.break.zone-exit.down': 'last fell out of the {level} zone on {date} ({ago} ago).',
    'digest.story.retest.one.below': '{since} it came within {pct}% of {level} once and fell back ({last}).',
    'digest.story.retest.many.below': '{since} it came {count} within {pct}% of {level} and fell back each time (last {last}).',
    'digest.story.retest.one.above': '{since} it came down to within {pct}% of {level} once and held above it ({last}).',
    'digest.story.retest.many.above': '{since} it came down {count} to within {pct}% of {level} and held above it each time (last {last}).',
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
        `{since} it closed ${where} on {first} but did not hold.`,
        // The count before the level: "above 2.5 12 times" would set two numbers side by side.
        `{since} it closed {count} ${where} without holding (first {first}, last {last}).`,
        `It has closed ${where} since {date}, not yet held ({closes} of the {hold} closes in a row a break needs).`,
        `{since} it closed ${where} from {first} to {last} ({closes, plural, one {# close} other {# closes}}) but did not hold.`,
        // Runs of several closes: "went", not "closed": five runs of 11 closes are five visits, and
        // "closed five times" read as five closes; the last is the last close, not the last run's first.
        `{since} it went {count} ${where} ({closes, plural, one {# close} other {# closes}} in all) without holding (first {first}, last {last}).`,
      ],
    ),
    // Pending closes into a zone that went through it and came back: not all of them were inside.
    'digest.story.pending.edge.up':
      'It has closed above {edge}, the bottom of the {level} zone, since {date}, not yet held ({closes} of the {hold} closes in a row a break needs).',
    'digest.story.pending.edge.down':
      'It has closed below {edge}, the top of the {level} zone, since {date}, not yet held ({closes} of the {hold} closes in a row a break needs).',
    ...Object.fromEntries(countsEn.map((c, i) => [`digest.count.${i}`, c]).slice(1)),
    'chat.cmd.digest': 'A daily digest at your hour, e.g. 08:00 Asia/Taipei',
    'chat.digest.off': 'The daily digest is off. Turn it on with {example}.',
    'chat.digest.on': 'Daily digest at {time} ({zone}). Next: {next}.',
    'chat.digest.set': 'Daily digest set for {time} ({zone}). Next: {next}.',
    'chat.digest.onStopped': 'Daily digest at {time} ({zone}), but none is sent here while the alerts here are stopped:',
    'chat.digest.onStoppedDigest': 'Daily digest at {time} ({zone}), but none is sent here while it is stopped:',
    'chat.digest.resumed': 'The daily digest here had stopped; it comes again now. Alerts stay off (/subscribe turns them on).',
    'chat.digest.setStopped': 'Daily digest set for {time} ({zone}), but none is sent here while the alerts here are stopped:',
    'chat.digest.setDefaultZone': "Daily digest set for {time} ({zone}: no time zone given, so this chat's zone). Next: {next}.",
    'chat.digest.setDefaultZone.discord': "Daily digest set for {time} ({zone}: no time zone given, so this channel's zone). Next: {next}.",
    'chat.digest.setDefaultZone.dm': "Daily digest set for {time} ({zone}: no time zone given, so this chat's zone). Next: {next}.",
    'chat.digest.stopped': 'Daily digest turned off.',
    'chat.zone.fixedOffset':
      '{offset} is a fixed offset: it does not follow daylight saving time. For a place whose clocks change, give its city, like New York.',
    // A Discord autocomplete choice: the zone and its offset from UTC now.
    'chat.zone.choice': '{zone} ({offset})',
    'chat.digest.alreadyOff': 'There is no daily digest here to turn off.',
    'chat.digest.pickZone': 'Or pick a time zone:',
    'chat.digest.zoneNeedsTime': 'A time zone needs a time: {example}',
    'chat.digest.loneOffset': 'Nothing changed: "{input}" alone is not a digest time. Give a time, like {time}, or for the time zone {zone}: {zoned}',
    'chat.digest.whichZone': '{abbreviation} is the name of more than one time zone. Which one for {time}?',
    'chat.digest.noData': 'No digest yet: the history is not loaded.',
    'chat.history.historic': '(history)',
    'chart.digest.title': 'Daily digest · {pair} · {range}',
    'chat.power.m2': 'M2 grew {pct} from {from} to {month}. Only what beats M2 is real:',
    'chat.power.m2Lags':
      'M2 grew {pct} from {from} to {month} ({month} is the latest M2 published: the M2-adjusted figures of {date} divide by it). Only what beats M2 is real:',
    'chat.power.goldOlder': 'The figures in gold use the gold price of {gold}, the latest at the close of {date}.',
    'chat.power.goldOlderBase': 'At the base, the figures in gold start from the gold price of {gold}, the latest at the close of {date}.',
    'chat.power.m2Down': 'M2 shrank {pct} from {from} to {month}. Only what beats M2 is real:',
    'chat.power.m2LagsDown':
      'M2 shrank {pct} from {from} to {month} ({month} is the latest M2 published: the M2-adjusted figures of {date} divide by it). Only what beats M2 is real:',
    'chat.power.m2Behind':
      'M2 grew {pct} from {from} to {month} ({month} is the latest M2 on record: a newer month is out but not fetched yet; the M2-adjusted figures of {date} divide by it). Only what beats M2 is real:',
    'chat.power.m2BehindDown':
      'M2 shrank {pct} from {from} to {month} ({month} is the latest M2 on record: a newer month is out but not fetched yet; the M2-adjusted figures of {date} divide by it). Only what beats M2 is real:',
    'chat.power.m2Old': 'The latest M2 on record is {month}, too old to measure {date} against: no M2 figures.',
    'chat.power.m2None': 'M2 is monthly, and both ends of this span read {month}: there is no change of M2 to measure against.',
    'chat.power.beat': '{name} beat M2 by {pct}: real growth.',
    'chat.power.lost': '{name} did not beat M2: {pct} behind it.',
    'chat.power.matched': '{name} matched M2 exactly: neither beat it nor fell behind it.',
    'chat.power.toBeforeBase': 'The end date {to} is before the base date {base}.',
    'chat.arglabel.power.to': 'end: a date, month or year',
    'chat.arglabel.digest.time': 'HH:MM|off|now',
    'chat.name.digest': 'digest',
    'chat.argname.to': 'to',
    'chat.arg.digest.time': 'A time like 08:00 or 8am, or off, or now for a preview',
    'chat.arg.digest.timezone': "IANA time zone, e.g. Asia/Taipei (default: this chat's zone, else UTC)",
    'chat.arg.digest.timezone.discord': "IANA time zone, e.g. Asia/Taipei (default: this channel's zone, else UTC)",
    'chat.arg.power.to': 'The table as of this day (a month or a year: its last day)',
  },
  'zh-TW': {
    'digest.title': 'goldratio 每日摘要 · 美股{date}收盤',
    'digest.without': '美股{missing}的收盤尚未送達，本摘要以截至{last}的收盤為準。',
    'digest.stale': '機器人目前最新的收盤資料是{last}，距今 {ago}：機器人的每日資料更新似乎已停止（管理者可用 goldratio status 查看）。',
    'digest.pair': '{pair} {value} · 單日 {d1} · 近1週 {w1} · 今年以來 {ytd}',
    'digest.pair.older': '{pair} {value}（最新為{date}收盤）· 單日 {d1} · 近1週 {w1} · 今年以來 {ytd}',
    'digest.goldOlder': '比率所用的金價為{gold}的報價，是{date}收盤時最新的一筆。',
    'digest.closedSince': '單日漲跌是相對{date}的收盤：交易所於{closed}休市。',
    'digest.closedRange': '{from}至{to}',
    'digest.above': '↑ {level}（{distance}）',
    'digest.below': '↓ {level}（{distance}）',
    'digest.inside': '位於 {level} 區間內',
    'digest.approaching.up': '逼近上檔 {level}（{pct}% 以內）',
    'digest.approaching.down': '回測下檔 {level}（{pct}% 以內）',
    'digest.power.title': '自{base}起（跑贏 M2 才算實質成長）：',
    'digest.power.titleTo': '自{base}至{date}（跑贏 M2 才算實質成長）：',
    'digest.name.spx': '標普500',
    'digest.name.qqq': 'QQQ',
    'digest.power.above': '{name}：美元計價 {usd}，黃金計價 {gold}，跑贏 M2 {m2}',
    'digest.power.below': '{name}：美元計價 {usd}，黃金計價 {gold}，落後 M2 {m2}',
    'digest.power.even': '{name}：美元計價 {usd}，黃金計價 {gold}，與 M2 持平',
    'digest.power.noM2': '{name}：美元計價 {usd}，黃金計價 {gold}',
    'digest.power.m2Old': '未與 M2 比較：目前取得的最新 M2 為{month}，距本次收盤過久。',
    'digest.m2': 'M2 年增率 {pct}（{month}）',
    'digest.story.era': '{pair}（{era}）：',
    'digest.story.noBreak': '已存歷史中未曾突破或跌破任何文章水位。',
    'digest.story.since.then': '此後',
    'digest.story.since.date': '自{date}以來',
    'digest.story.since.stored': '已存歷史中',
    'digest.story.break.up': '上次向上突破 {level} 是在{date}（{ago}前）。',
    'digest.story.break.down': '上次跌破 {level} 是在{date}（{ago}前）。',
    'digest.story.break.zone-enter.up': '上次由下方漲入 {level} 區間是在{date}（{ago}前）。',
    'digest.story.break.zone-enter.down': '上次由上方跌入 {level} 區間是在{date}（{ago}前）。',
    'digest.story.break.zone-exit.up': '上次向上突破 {level} 區間是在{date}（{ago}前）。',
    'digest.story.break.zone-exit.down': '上次向下跌破 {level} 區間是在{date}（{ago}前）。',
    'digest.story.retest.one.below': '{since}曾一次逼近 {level}（{pct}% 以內）後回落（{last}）。',
    'digest.story.retest.many.below': '{since}曾{count}逼近 {level}（{pct}% 以內），每次都回落（最近一次為{last}）。',
    'digest.story.retest.one.above': '{since}曾一次回測 {level}（{pct}% 以內）並守住（{last}）。',
    'digest.story.retest.many.above': '{since}曾{count}回測 {level}（{pct}% 以內），每次都守住（最近一次為{last}）。',
    ...unheld(
      {
        up: '{level} 之上',
        down: '{level} 之下',
        'zone-enter.up': '{level} 區間內',
        'zone-enter.down': '{level} 區間內',
        'zone-exit.up': '{level} 區間之上',
        'zone-exit.down': '{level} 區間之下',
      },
      // 站穩 is holding above a level; below one (a break down, a zone left downward) the word is 有效跌破,
      // into a zone from above 有效跌入.
      (where, kind) => {
        const held =
          kind === 'down' || kind === 'zone-exit.down'
            ? ['未能有效跌破', '尚未有效跌破']
            : kind === 'zone-enter.down'
              ? ['未能有效跌入', '尚未有效跌入']
              : ['未能站穩', '尚未站穩'];
        return [
          `{since}曾於{first}收在 ${where}，但${held[0]}。`,
          `{since}曾{count}收在 ${where}，都${held[0]}（首次為{first}，最近一次為{last}）。`,
          `自{date}起收在 ${where}，${held[1]}（已連續 {closes} 次收盤，需連續 {hold} 次）。`,
          `{since}曾於{first}至{last}收在 ${where}（共 {closes} 次收盤），但${held[0]}。`,
          `{since}曾{count}收在 ${where}（共 {closes} 次收盤），都${held[0]}（首次為{first}，最後一次為{last}）。`,
        ];
      },
    ),
    'digest.story.pending.edge.up': '自{date}起收在 {edge}（{level} 區間下緣）之上，尚未站穩（已連續 {closes} 次收盤，需連續 {hold} 次）。',
    'digest.story.pending.edge.down': '自{date}起收在 {edge}（{level} 區間上緣）之下，尚未有效跌入（已連續 {closes} 次收盤，需連續 {hold} 次）。',
    ...Object.fromEntries(countsZhTw.map((c, i) => [`digest.count.${i}`, c]).slice(1)),
    'chat.cmd.digest': '在您選定的時間收到每日摘要，例如 08:00 Asia/Taipei',
    'chat.digest.off': '每日摘要未開啟。請以 {example} 開啟。',
    'chat.digest.on': '每日摘要時間 {time}（{zone}）。下一次：{next}。',
    'chat.digest.set': '每日摘要已設為 {time}（{zone}）。下一次：{next}。',
    'chat.digest.onStopped': '每日摘要時間 {time}（{zone}），但這裡的通知停止期間不會送出摘要：',
    'chat.digest.onStoppedDigest': '每日摘要時間 {time}（{zone}），但停止期間不會送出摘要：',
    'chat.digest.resumed': '這裡的每日摘要先前已停止，現已恢復。通知維持關閉（使用 /subscribe 即可開啟）。',
    'chat.digest.setStopped': '每日摘要已設為 {time}（{zone}），但這裡的通知停止期間不會送出摘要：',
    'chat.digest.setDefaultZone': '每日摘要已設為 {time}（{zone}：未指定時區，採用本聊天室的時區）。下一次：{next}。',
    'chat.digest.setDefaultZone.discord': '每日摘要已設為 {time}（{zone}：未指定時區，採用本頻道的時區）。下一次：{next}。',
    'chat.digest.setDefaultZone.dm': '每日摘要已設為 {time}（{zone}：未指定時區，採用本對話的時區）。下一次：{next}。',
    'chat.digest.stopped': '每日摘要已關閉。',
    'chat.zone.fixedOffset': '{offset} 是固定時差：不會隨日光節約時間調整。若所在地會調整時鐘，請改用城市名稱，例如紐約。',
    'chat.zone.choice': '{zone}（{offset}）',
    'chat.digest.alreadyOff': '這裡沒有設定每日摘要，無需關閉。',
    'chat.digest.pickZone': '或選擇時區：',
    'chat.digest.zoneNeedsTime': '時區需搭配時間：{example}',
    'chat.digest.loneOffset': '未做任何變更：單獨的「{input}」不是摘要時間。請輸入時間，例如 {time}；若要採用 {zone} 時區：{zoned}',
    'chat.digest.whichZone': '{abbreviation} 可能指不只一個時區。{time} 是哪一個時區的時間？',
    'chat.digest.noData': '尚無摘要：歷史資料未載入。',
    'chat.history.historic': '（歷史）',
    'chart.digest.title': '每日摘要 · {pair} · {range}',
    'chat.power.m2': 'M2 自{from}至{month}成長 {pct}。跑贏 M2 才算實質成長：',
    'chat.power.m2Lags': 'M2 自{from}至{month}成長 {pct}（{month}為最新公布資料，{date}的 M2 平減數值即以此計算）。跑贏 M2 才算實質成長：',
    'chat.power.goldOlder': '黃金計價採用{gold}的金價，是{date}收盤時最新的一筆。',
    'chat.power.goldOlderBase': '基準日的黃金計價採用{gold}的金價，是{date}收盤時最新的一筆。',
    'chat.power.m2Down': 'M2 自{from}至{month}減少 {pct}。跑贏 M2 才算實質成長：',
    'chat.power.m2LagsDown': 'M2 自{from}至{month}減少 {pct}（{month}為最新公布資料，{date}的 M2 平減數值即以此計算）。跑贏 M2 才算實質成長：',
    'chat.power.m2Behind':
      'M2 自{from}至{month}成長 {pct}（{month}為目前取得的最新資料，較新的月份已公布但尚未抓取；{date}的 M2 平減數值即以此計算）。跑贏 M2 才算實質成長：',
    'chat.power.m2BehindDown':
      'M2 自{from}至{month}減少 {pct}（{month}為目前取得的最新資料，較新的月份已公布但尚未抓取；{date}的 M2 平減數值即以此計算）。跑贏 M2 才算實質成長：',
    'chat.power.m2Old': '目前取得的最新 M2 為{month}，距{date}過久，暫不與 M2 比較。',
    'chat.power.m2None': 'M2 為月資料，此期間頭尾用的都是{month}的數值：沒有 M2 的變化可供比較。',
    'chat.power.beat': '{name}跑贏 M2 {pct}，屬實質成長。',
    'chat.power.lost': '{name}未能跑贏 M2，落後 {pct}。',
    'chat.power.matched': '{name}與 M2 持平：既未跑贏，也未落後。',
    'chat.power.toBeforeBase': '結束日{to}早於基準日{base}。',
    'chat.arglabel.power.to': '結束：日期、月份或年份',
    'chat.arglabel.digest.time': 'HH:MM|off|now',
    'chat.name.digest': '摘要',
    'chat.argname.to': '結束日',
    'chat.arg.digest.time': '時間，例如 08:00 或「早上8點」，或 off 關閉，或 now 立即預覽',
    'chat.arg.digest.timezone': 'IANA 時區，例如 Asia/Taipei（預設：本聊天室的時區，否則為 UTC）',
    'chat.arg.digest.timezone.discord': 'IANA 時區，例如 Asia/Taipei（預設：本頻道的時區，否則為 UTC）',
    'chat.arg.power.to': '截至這一天的資料（月份或年份：取其最後一天）',
  },
  'zh-CN': {
    'digest.title': 'goldratio 每日摘要 · 美股{date}收盘',
    'digest.without': '美股{missing}的收盘尚未送达，本摘要基于截至{last}的收盘数据。',
    'digest.stale': '机器人目前最新的收盘数据是{last}，距今 {ago}：机器人的每日数据更新似乎已停止（管理员可用 goldratio status 查看）。',
    'digest.pair': '{pair} {value} · 单日 {d1} · 近1周 {w1} · 年初至今 {ytd}',
    'digest.pair.older': '{pair} {value}（最新为{date}收盘）· 单日 {d1} · 近1周 {w1} · 年初至今 {ytd}',
    'digest.goldOlder': '比率采用{gold}的金价，即{date}收盘时可获得的最新金价。',
    'digest.closedSince': '单日涨跌是相对{date}的收盘：交易所于{closed}休市。',
    'digest.closedRange': '{from}至{to}',
    'digest.above': '↑ {level}（{distance}）',
    'digest.below': '↓ {level}（{distance}）',
    'digest.inside': '处于 {level} 区间内',
    'digest.approaching.up': '逼近上方阻力 {level}（{pct}% 以内）',
    'digest.approaching.down': '回踩下方支撑 {level}（{pct}% 以内）',
    'digest.power.title': '自{base}起（跑赢 M2 才算实际增长）：',
    'digest.power.titleTo': '自{base}至{date}（跑赢 M2 才算实际增长）：',
    'digest.name.spx': '标普500',
    'digest.name.qqq': 'QQQ',
    'digest.power.above': '{name}：美元计价 {usd}，黄金计价 {gold}，跑赢 M2 {m2}',
    'digest.power.below': '{name}：美元计价 {usd}，黄金计价 {gold}，跑输 M2 {m2}',
    'digest.power.even': '{name}：美元计价 {usd}，黄金计价 {gold}，与 M2 持平',
    'digest.power.noM2': '{name}：美元计价 {usd}，黄金计价 {gold}',
    'digest.power.m2Old': '未与 M2 比较：目前获取的最新 M2 为{month}，距本次收盘过久。',
    'digest.m2': 'M2 同比增速 {pct}（{month}）',
    'digest.story.era': '{pair}（{era}）：',
    'digest.story.noBreak': '已存历史中从未突破或跌破任何文章点位。',
    'digest.story.since.then': '此后',
    'digest.story.since.date': '自{date}以来',
    'digest.story.since.stored': '已存历史中',
    'digest.story.break.up': '上次向上突破 {level} 是在{date}（{ago}前）。',
    'digest.story.break.down': '上次跌破 {level} 是在{date}（{ago}前）。',
    'digest.story.break.zone-enter.up': '上次自下方涨入 {level} 区间是在{date}（{ago}前）。',
    'digest.story.break.zone-enter.down': '上次自上方跌入 {level} 区间是在{date}（{ago}前）。',
    'digest.story.break.zone-exit.up': '上次向上突破 {level} 区间是在{date}（{ago}前）。',
    'digest.story.break.zone-exit.down': '上次向下跌破 {level} 区间是在{date}（{ago}前）。',
    'digest.story.retest.one.below': '{since}曾一次逼近 {level}（{pct}% 以内）后回落（{last}）。',
    'digest.story.retest.many.below': '{since}曾{count}逼近 {level}（{pct}% 以内），每次都回落（最近一次为{last}）。',
    'digest.story.retest.one.above': '{since}曾一次回踩 {level}（{pct}% 以内）并守住（{last}）。',
    'digest.story.retest.many.above': '{since}曾{count}回踩 {level}（{pct}% 以内），每次都守住（最近一次为{last}）。',
    ...unheld(
      {
        up: '{level} 上方',
        down: '{level} 下方',
        'zone-enter.up': '{level} 区间内',
        'zone-enter.down': '{level} 区间内',
        'zone-exit.up': '{level} 区间上方',
        'zone-exit.down': '{level} 区间下方',
      },
      (where, kind) => {
        const held =
          kind === 'down' || kind === 'zone-exit.down'
            ? ['未能有效跌破', '尚未有效跌破']
            : kind === 'zone-enter.down'
              ? ['未能有效跌入', '尚未有效跌入']
              : ['未能站稳', '尚未站稳'];
        return [
          `{since}曾于{first}收于 ${where}，但${held[0]}。`,
          `{since}曾{count}收于 ${where}，均${held[0]}（首次为{first}，最近一次为{last}）。`,
          `自{date}起收于 ${where}，${held[1]}（已连续 {closes} 次收盘，需连续 {hold} 次）。`,
          `{since}曾于{first}至{last}收于 ${where}（共 {closes} 次收盘），但${held[0]}。`,
          `{since}曾{count}收于 ${where}（共 {closes} 次收盘），均${held[0]}（首次为{first}，最后一次为{last}）。`,
        ];
      },
    ),
    'digest.story.pending.edge.up': '自{date}起收于 {edge}（{level} 区间下沿）上方，尚未站稳（已连续 {closes} 次收盘，需连续 {hold} 次）。',
    'digest.story.pending.edge.down': '自{date}起收于 {edge}（{level} 区间上沿）下方，尚未有效跌入（已连续 {closes} 次收盘，需连续 {hold} 次）。',
    ...Object.fromEntries(countsZhCn.map((c, i) => [`digest.count.${i}`, c]).slice(1)),
    'chat.cmd.digest': '在您选定的时间接收每日摘要，例如 08:00 Asia/Shanghai',
    'chat.digest.off': '每日摘要未开启。请用 {example} 开启。',
    'chat.digest.on': '每日摘要时间 {time}（{zone}）。下一次：{next}。',
    'chat.digest.set': '每日摘要已设为 {time}（{zone}）。下一次：{next}。',
    'chat.digest.onStopped': '每日摘要时间 {time}（{zone}），但这里的提醒停止期间不会发送摘要：',
    'chat.digest.onStoppedDigest': '每日摘要时间 {time}（{zone}），但停止期间不会发送摘要：',
    'chat.digest.resumed': '这里的每日摘要此前已停止，现已恢复。提醒保持关闭（使用 /subscribe 即可开启）。',
    'chat.digest.setStopped': '每日摘要已设为 {time}（{zone}），但这里的提醒停止期间不会发送摘要：',
    'chat.digest.setDefaultZone': '每日摘要已设为 {time}（{zone}：未指定时区，采用本聊天的时区）。下一次：{next}。',
    'chat.digest.setDefaultZone.discord': '每日摘要已设为 {time}（{zone}：未指定时区，采用本频道的时区）。下一次：{next}。',
    'chat.digest.setDefaultZone.dm': '每日摘要已设为 {time}（{zone}：未指定时区，采用本对话的时区）。下一次：{next}。',
    'chat.digest.stopped': '每日摘要已关闭。',
    'chat.zone.fixedOffset': '{offset} 是固定时差：不会随夏令时调整。若所在地会调整时钟，请改用城市名称，例如纽约。',
    'chat.zone.choice': '{zone}（{offset}）',
    'chat.digest.alreadyOff': '这里没有设置每日摘要，无需关闭。',
    'chat.digest.pickZone': '或选择时区：',
    'chat.digest.zoneNeedsTime': '时区需搭配时间：{example}',
    'chat.digest.loneOffset': '未做任何更改：单独的“{input}”不是摘要时间。请输入时间，例如 {time}；如要使用 {zone} 时区：{zoned}',
    'chat.digest.whichZone': '{abbreviation} 可能指多个时区。{time} 是哪个时区的时间？',
    'chat.digest.noData': '暂无摘要：历史数据尚未加载。',
    'chat.history.historic': '（历史）',
    'chart.digest.title': '每日摘要 · {pair} · {range}',
    'chat.power.m2': 'M2 自{from}至{month}增长 {pct}。跑赢 M2 才算实际增长：',
    'chat.power.m2Lags': 'M2 自{from}至{month}增长 {pct}（{month}为最新公布数据，{date}的 M2 平减数值即按此计算）。跑赢 M2 才算实际增长：',
    'chat.power.goldOlder': '黄金计价采用{gold}的金价，即{date}收盘时可获得的最新金价。',
    'chat.power.goldOlderBase': '基准日的黄金计价采用{gold}的金价，即{date}收盘时可获得的最新金价。',
    'chat.power.m2Down': 'M2 自{from}至{month}减少 {pct}。跑赢 M2 才算实际增长：',
    'chat.power.m2LagsDown': 'M2 自{from}至{month}减少 {pct}（{month}为最新公布数据，{date}的 M2 平减数值即按此计算）。跑赢 M2 才算实际增长：',
    'chat.power.m2Behind':
      'M2 自{from}至{month}增长 {pct}（{month}为目前获取的最新数据，更新的月份已公布但尚未抓取；{date}的 M2 平减数值即按此计算）。跑赢 M2 才算实际增长：',
    'chat.power.m2BehindDown':
      'M2 自{from}至{month}减少 {pct}（{month}为目前获取的最新数据，更新的月份已公布但尚未抓取；{date}的 M2 平减数值即按此计算）。跑赢 M2 才算实际增长：',
    'chat.power.m2Old': '目前获取的最新 M2 为{month}，距{date}过久，暂不与 M2 比较。',
    'chat.power.m2None': 'M2 为月度数据，此期间首尾用的都是{month}的数值：没有 M2 的变化可供比较。',
    'chat.power.beat': '{name}跑赢 M2 {pct}，属于实际增长。',
    'chat.power.lost': '{name}未能跑赢 M2，落后 {pct}。',
    'chat.power.matched': '{name}与 M2 持平：既没有跑赢，也没有跑输。',
    'chat.power.toBeforeBase': '结束日{to}早于基准日{base}。',
    'chat.arglabel.power.to': '结束：日期、月份或年份',
    'chat.arglabel.digest.time': 'HH:MM|off|now',
    'chat.name.digest': '摘要',
    'chat.argname.to': '结束日',
    'chat.arg.digest.time': '时间，例如 08:00 或“早上8点”，或 off 关闭，或 now 立即预览',
    'chat.arg.digest.timezone': 'IANA 时区，例如 Asia/Shanghai（默认：本聊天的时区，否则为 UTC）',
    'chat.arg.digest.timezone.discord': 'IANA 时区，例如 Asia/Shanghai（默认：本频道的时区，否则为 UTC）',
    'chat.arg.power.to': '截至这一天的数据（月份或年份：取其最后一天）',
  },
};
