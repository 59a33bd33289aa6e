/**
 * Inline mode: `@bot spx`, `@bot qqq`, `@bot power` (or `@bot` alone for all three) in any chat
 * offers the ratio card as /ratio and /power show it, to post into that chat; `@bot power
 * 2011-09-06 [2020-01-01]` takes /power's dates, and `@bot spx 5y` or `@bot qqq 2007 2009` is
 * /chart's card for that range or span. The answer is
 * chat/'s reply, rendered: a `cached_photo` (the chart by file_id, the text as caption) when the
 * chart is on Telegram's servers, else an `article` with the text.
 *
 * Where the file_id comes from: an inline result cannot upload, it can only point at a photo
 * Telegram already has. A chart this bot sent before (a /ratio or /chart reply: the shared
 * ChartFileCache) is reused; with TELEGRAM_INLINE_CHAT_ID set, a chart not sent yet is uploaded
 * there once (a private channel the bot posts in) and its file_id kept. Without either, the first
 * answer for a new chart is text only. Chart keys change with the data, so a card never shows an
 * old chart.
 */
import { InputFile, type Bot, type Context } from 'grammy';
import type { InlineQueryResult } from 'grammy/types';
import {
  clipText,
  commandCalled,
  commandsOn,
  FloodLimiter,
  findCommand,
  halfWidth,
  parseChartTarget,
  spanText,
  visibleText,
  withChart,
  type ChatContext,
  type ChatDeps,
  type Reply,
} from '../../chat/index.ts';
import type { ChartRenderer, RenderedChart } from '../../domain/chart-request.ts';
import { langFromCode, t, type Lang } from '../../domain/i18n/index.ts';
import { fmtDate } from '../../domain/i18n/format.ts';
import type { Logger } from '../../log.ts';
import type { Metrics } from '../../ops/metrics.ts';
import type { ChartFileCache } from './chart-files.ts';
import { escapeHtml } from './html.ts';
import { renderReply } from './render.ts';
import { staleFileId } from './notifier.ts';

/**
 * How long Telegram may serve an answer from its cache. Short: the card quotes a live ratio.
 * `is_personal` too, since the answer is in the asker's language and Telegram's cache is per query
 * text otherwise.
 */
export const INLINE_CACHE_SECONDS = 60;

/**
 * Inline queries one user may send in 10 s before they are dropped. A client sends one as the
 * user types (`qqq 2007 2009` may be a dozen), so the limit is looser than the commands' (10), and
 * its own: typing a card does not use up a user's commands. Each query may draw a chart.
 */
export const INLINE_FLOOD_MAX = 30;

export type InlineTopic = 'spx' | 'qqq' | 'power';
const ALL_TOPICS: readonly InlineTopic[] = ['spx', 'qqq', 'power'];

/** What a query asks for: its topics, and the words typed after one (/power's dates, /chart's range or span); `chart`: asked as /chart, so a ratio's card is its chart. */
export interface InlineAsk {
  readonly topics: readonly InlineTopic[];
  readonly words: readonly string[];
  readonly chart?: true;
}

/** A query that asks for no card: why, as the help line's key (`command`: the chat command it named, which inline does not post). */
export type InlineRefusal =
  | { readonly topics?: undefined; readonly why: 'inline.help.unknown' }
  | { readonly topics?: undefined; readonly why: 'inline.help.command'; readonly command: string };

/** The commands whose cards inline posts; any other command named is refused by name. */
const CARD_COMMANDS = ['ratio', 'chart', 'power'] as const;

/**
 * The query's topics: empty → all three; a pair or `power` (in any language's words) → that one,
 * with the words after it (`power 2011`: /power's dates; `spx 5y`: /chart's range or span);
 * a leading command word, slash or not, as a chat reads it (`/ratio qqq`, `chart spx 5y`,
 * `/power 2011`, 比率 標普, or after its pair: `qqq ratio`); the pair after the words too (`5y qqq`, `2011 power`), as /chart takes its
 * chart last; anything else → the help result.
 */
export function inlineAsk(query: string): InlineAsk | InlineRefusal {
  // A question's or a sentence's mark at the end (`spx?`, `標普？`, `spx。`) asks for the same card.
  const [first, ...rest] = halfWidth(visibleText(query))
    .trim()
    .replace(/[?!.。]+$/u, '')
    .trim()
    .toLowerCase()
    .split(/\s+/);
  if (first === undefined || first === '') return { topics: ALL_TOPICS, words: [] };
  const topicOf = (word: string): InlineTopic | undefined => {
    // As /chart reads its first word: spx, qqq, power, or their words in any language (標普, 纳指, 購買力).
    const target = parseChartTarget(word);
    return !target.ok ? undefined : target.value === 'spx-gold' ? 'spx' : target.value === 'qqq-gold' ? 'qqq' : 'power';
  };
  const topic = topicOf(first);
  // The command after its pair (`qqq ratio`, `spx chart 5y`, 標普 比率): as if typed first; a range it is not.
  const after = rest[0] === undefined || topic === 'power' ? undefined : commandCalled(rest[0], ['ratio', 'chart']);
  if (topic !== undefined && after !== undefined) return inlineAsk([rest[0]!, first, ...rest.slice(1)].join(' '));
  if (topic !== undefined) return { topics: [topic], words: rest };
  /** The first of `words` naming a card, and the others in their order: the range typed before its pair (`5y qqq`, `2011 power`), as /chart takes its chart last. */
  const pairAfter = (words: readonly string[]): InlineAsk | undefined => {
    const at = words.findIndex((w) => topicOf(w) !== undefined);
    return at < 0 ? undefined : { topics: [topicOf(words[at]!)!], words: words.filter((_, i) => i !== at) };
  };
  const command = commandCalled(
    first,
    commandsOn('telegram').map((c) => c.name),
  );
  if (command === undefined) return pairAfter([first, ...rest]) ?? { why: 'inline.help.unknown' };
  if (!(CARD_COMMANDS as readonly string[]).includes(command)) return { why: 'inline.help.command', command: `/${command}` };
  if (command === 'power') return { topics: ['power'], words: rest };
  const chart = command === 'chart' ? ({ chart: true } as const) : {};
  // A ratio without its pair is either: both cards to choose from.
  if (rest.length === 0) return { topics: ['spx', 'qqq'], words: [], ...chart };
  const named = pairAfter(rest);
  return named === undefined ? { why: 'inline.help.unknown' } : { ...named, ...chart };
}

export interface InlineDeps {
  readonly chat: ChatDeps;
  readonly charts: ChartRenderer;
  readonly files: ChartFileCache;
  readonly log: Logger;
  readonly now?: () => number;
  /** TELEGRAM_INLINE_CHAT_ID: where a chart not yet on Telegram is uploaded once, for its file_id. */
  readonly uploadChatId?: string;
  /** Per-user limit on inline queries (default: INLINE_FLOOD_MAX in 10 s). */
  readonly flood?: FloodLimiter;
  readonly metrics?: Pick<Metrics, 'floodDropped'>;
}

const COMMAND_OF: Record<InlineTopic, { name: string; words: string[] }> = {
  spx: { name: 'ratio', words: ['spx'] },
  qqq: { name: 'ratio', words: ['qqq'] },
  power: { name: 'power', words: [] },
};

export function registerInline(bot: Bot, d: InlineDeps): void {
  const uploads = new Map<string, Promise<string | undefined>>();
  const flood = d.flood ?? new FloodLimiter({ max: INLINE_FLOOD_MAX, ...(d.now !== undefined ? { now: d.now } : {}) });

  /** The chart's file_id: known, or uploaded once to the configured chat; undefined when neither. */
  async function fileIdOf(ctx: Context, chart: RenderedChart): Promise<string | undefined> {
    const known = await d.files.get(chart.key);
    if (known !== undefined || d.uploadChatId === undefined) return known;
    const target = d.uploadChatId;
    let pending = uploads.get(chart.key);
    if (pending === undefined) {
      pending = ctx.api
        .sendPhoto(target, new InputFile(chart.png, chart.filename), { disable_notification: true })
        .then(
          (sent) => {
            const id = sent.photo.at(-1)?.file_id;
            d.files.set(chart.key, id);
            return id;
          },
          (e: unknown) => {
            // Text-only cards until the chat is fixed; say why once per chart.
            d.log.warn(`inline chart upload to TELEGRAM_INLINE_CHAT_ID ${target} failed: ${String(e)}`);
            return undefined;
          },
        )
        .finally(() => uploads.delete(chart.key));
      uploads.set(chart.key, pending);
    }
    return pending;
  }

  /** `used`: the file_ids the results offer, by chart key (a refused one is forgotten). */
  async function result(
    ctx: Context,
    topic: InlineTopic,
    typed: readonly string[],
    cc: ChatContext,
    lang: Lang,
    used: { key: string; id: string }[],
    asChart = false,
  ): Promise<InlineQueryResult> {
    // A ratio with words after it is /chart's card: `spx 5y`, `qqq 2007 2009`; so is one asked as /chart.
    const chart = topic !== 'power' && (asChart || typed.length > 0);
    const { name, words } = chart ? { name: 'chart', words: [topic] } : COMMAND_OF[topic];
    const command = findCommand(name);
    if (command === undefined) throw new Error(`inline: no /${name} command`);
    const r: Reply = await command.run(d.chat, cc, [...words, ...typed]);
    // Words the command refuses (a date not on the calendar, a range and dates): the help, saying
    // why, never a refusal posted into the chat.
    if (r.status === 'usage' || (chart && r.status !== 'ok')) return helpResult(lang, summary({ ...r, lines: r.lines.slice(0, 1) }));
    const drawn = await withChart(d.charts, r, lang, d.chat.config.chartTheme);
    const out = renderReply(drawn.reply, drawn.chart !== undefined);
    const fileId = drawn.chart !== undefined && out.caption !== undefined ? await fileIdOf(ctx, drawn.chart) : undefined;
    const id = `${topic}:${drawn.chart?.key ?? 'text'}`.slice(0, 64);
    const title =
      typed.length === 0 && !chart
        ? t(lang, `inline.title.${topic}`)
        : topic === 'power'
          ? t(lang, 'inline.title.powerFrom', { dates: powerDates(r, lang) ?? typed.join(' ') })
          : t(lang, 'inline.title.chart', { title: summary(r) });
    const description = summary(drawn.reply);
    // A chart card is its picture: without one on Telegram (inline answers cannot upload), say how to get it there.
    if (chart && fileId === undefined) return helpResult(lang, t(lang, 'inline.help.chartFirst', { command: `/chart ${[topic, ...typed].join(' ')}` }));
    if (fileId !== undefined && out.caption !== undefined) {
      used.push({ key: drawn.chart!.key, id: fileId });
      return { type: 'photo', id, photo_file_id: fileId, title, description, caption: out.caption, parse_mode: 'HTML' };
    }
    const text = out.caption ?? out.messages[0] ?? escapeHtml(title);
    return {
      type: 'article',
      id,
      title,
      description,
      input_message_content: { message_text: text, parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
    };
  }

  bot.on('inline_query', async (ctx) => {
    const q = ctx.inlineQuery;
    const clientLang = langFromCode(q.from.language_code, d.chat.config.defaultLang);
    // Too many in a row: the first dropped one says how long to wait (never cached: the next
    // query, after the wait, must be answered); the rest get no answer and draw nothing.
    const key = `telegram-inline:${q.from.id}`;
    const verdict = flood.check(key);
    if (verdict !== 'ok') {
      d.metrics?.floodDropped('telegram');
      if (verdict === 'warn') {
        const notice = helpResult(clientLang, t(clientLang, 'inline.help.flood', { seconds: flood.waitSeconds(key) }));
        await ctx.answerInlineQuery([notice], { cache_time: 0, is_personal: true });
      }
      return;
    }
    // The asker's own language, never that of the chat the card goes into: the one their private
    // chat with the bot answers in (its /lang: where "send /chart spx 5y to the bot first" puts the
    // chart on Telegram, so the card finds it), else their client's.
    const own = await d.chat.subs.get('telegram', String(q.from.id)).catch(() => undefined);
    const lang = own?.lang ?? clientLang;
    const cc: ChatContext = {
      platform: 'telegram',
      chatId: `inline:${q.from.id}`,
      chatType: 'private',
      userLanguageCode: q.from.language_code,
      lang,
      isAdmin: async () => false,
      nowMs: (d.now ?? Date.now)(),
    };
    const ask = inlineAsk(q.query);
    const used: { key: string; id: string }[] = [];
    const results = async (): Promise<InlineQueryResult[]> =>
      ask.topics === undefined
        ? [
            helpResult(
              lang,
              ask.why === 'inline.help.command' ? t(lang, ask.why, { command: ask.command }) : t(lang, ask.why, { query: clipText(q.query.trim(), 40) }),
            ),
          ]
        : // Ids are unique within an answer (Telegram refuses the whole answer otherwise): a help result per topic (`@bot /chart`
          // before either chart is on Telegram: how to get each there) is named by its topic.
          (await Promise.all(ask.topics.map((topic) => result(ctx, topic, ask.words, cc, lang, used, ask.chart === true)))).map((r, i) =>
            r.id === 'help' && ask.topics.length > 1 ? { ...r, id: `help:${ask.topics[i]}` } : r,
          );
    const answer = async () => ctx.answerInlineQuery(await results(), { cache_time: INLINE_CACHE_SECONDS, is_personal: true });
    try {
      await answer();
    } catch (err) {
      // A file_id Telegram refuses (another bot's: the database was moved to a new token's bot):
      // forgotten, and the cards made again (uploaded to TELEGRAM_INLINE_CHAT_ID, or without it).
      if (!staleFileId(err) || used.length === 0) throw err;
      for (const u of used.splice(0)) await d.files.forget(u.key, u.id);
      await answer();
    }
  });
}

/** The days a /power reply indexes from and to, as the title says them (`2011-01-01 – 2020-12-31`), whatever words asked for them (`since 2011`, `2011-2020`). */
function powerDates(r: Reply, lang: Lang): string | undefined {
  const c = r.chart;
  if (c?.kind !== 'power') return undefined;
  return [c.base, ...(c.to !== undefined ? [c.to] : [])].map((d) => fmtDate(d, lang)).join(' – ');
}

/** The reply's first two lines as plain text: the result's one-line preview. */
function summary(r: Reply): string {
  const text = r.lines
    .slice(0, 2)
    .map((l) => l.map(spanText).join(''))
    .join(' · ');
  return clipText(text, 200);
}

/** What a query that asks for no card gets: one result explaining the queries (never an error); `why` says what was wrong with it. */
export function helpResult(lang: Lang, why: string): InlineQueryResult {
  const title = t(lang, 'inline.help.title');
  const body = t(lang, 'inline.help.body');
  return {
    type: 'article',
    id: 'help',
    title,
    description: why,
    input_message_content: { message_text: `<b>${escapeHtml(title)}</b>\n${escapeHtml(body)}`, parse_mode: 'HTML' },
  };
}
