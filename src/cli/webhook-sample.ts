/**
 * What `goldratio webhook test` sends: an alert as a real one reaches the hook (the same title,
 * lines, tone, chart and `data`), so a receiver built against the test sees what it will get. The
 * latest level event decided on the essay's levels or the hook's own (its subscription's custom
 * levels and approach %), as it was stored when decided (else rebuilt from the event); another
 * chat's own level is that chat's, never sent to a hook. When none was decided yet, a made-up one
 * on the latest SPX/Gold close, saying what was looked for. Either way marked as a test:
 * the kind `test`, `data.test: true` with `data.sample` (`latest` or `made-up`), a title that says
 * test, and a first line saying what it is, so neither a person nor a script takes it for news.
 * With `--digest`, the digest of the latest closes instead (digestSample), marked the same way.
 */
import { alertMessage, type AlertEvent } from '../domain/alert-message.ts';
import type { ChartFile } from '../alerts/notifier.ts';
import type { ChartRenderer } from '../domain/chart-request.ts';
import { t, type Lang } from '../domain/i18n/index.ts';
import { ESSAY_LEVELS, levelById } from '../domain/levels.ts';
import { localize, parseMessage, type LocalizedMessage, type Message } from '../domain/message.ts';
import type { StoreDb } from '../store/engine.ts';
import { EventStore } from '../store/events.ts';
import type { MarketView } from '../store/market-view.ts';
import { digestMessage } from '../domain/digest.ts';
import { dateInZone } from '../domain/dates.ts';
import { digestAt } from '../store/digest-view.ts';
import type { StoryOptions } from '../domain/story.ts';
import { watchesOf, type WatchSpec } from '../domain/watches.ts';

export interface TestSample {
  readonly message: LocalizedMessage;
  readonly chart: ChartFile | undefined;
  /** For the operator's line: which alert went, or that it was made up. */
  readonly said: string;
  /** Why the sample has no chart, when it has none (a real alert would go without one too). */
  readonly noChart: string | undefined;
}

/** The watches every chat shares: the essay's levels, each keyed by its id (domain/watches.ts). */
const ESSAY_WATCH_KEYS = ESSAY_LEVELS.map((l) => l.id);

/** The level a made-up sample crosses: the essay's SPX/Gold 2.5. */
const MADE_UP_LEVEL = 'spx-gold-2.5';

export async function testSample(o: {
  db: StoreDb;
  view: MarketView;
  charts: ChartRenderer;
  lang: Lang;
  theme: 'light' | 'dark';
  nowMs: number;
  /** The hook's own subscription, if it has one, and the configured approach % its watches are read with. */
  own?: { readonly spec: WatchSpec; readonly approachPct: number };
}): Promise<TestSample> {
  // An event of the essay's levels, or of the hook's own: another chat's own level (or own %) is
  // that chat's, not for this hook's receiver to see.
  const ownKeys = o.own === undefined ? [] : watchesOf(o.own.spec, o.own.approachPct).map((w) => w.watch.key);
  const keys = [...new Set([...ESSAY_WATCH_KEYS, ...ownKeys])];
  const events = new EventStore(o.db);
  const [latest] = await events.recent(1, undefined, keys);
  let message: Message;
  let sample: 'latest' | 'made-up';
  let said: string;
  if (latest !== undefined) {
    // As it was sent (a late break says so), when the stored message is still there; else from the event.
    const stored = await o.db.k.selectFrom('messages').select('body').where('dedupe_key', '=', `event:${latest.id}`).executeTakeFirst();
    const parsed = stored === undefined ? undefined : parseMessage(stored.body);
    message = parsed?.ok === true ? parsed.message : alertMessage(latest);
    sample = 'latest';
    said = `the latest alert (${latest.pair} ${latest.levelId} ${latest.kind} on ${latest.date}), marked as a test`;
  } else {
    const level = levelById(MADE_UP_LEVEL)!;
    const last = (await o.view.ratio(level.pair)).at(-1);
    const value = last?.value ?? 2.41;
    const down = value < level.low;
    const event: AlertEvent = {
      date: last?.date ?? new Date(o.nowMs).toISOString().slice(0, 10),
      pair: level.pair,
      levelId: level.id,
      kind: down ? 'cross-down' : 'cross-up',
      direction: down ? 'down' : 'up',
      value,
      levelValue: level.low,
      basis: 'close',
    };
    message = alertMessage(event);
    sample = 'made-up';
    // What was looked for, and why a newer event elsewhere does not go (the operator may have seen one).
    const looked = ownKeys.some((k) => !ESSAY_WATCH_KEYS.includes(k)) ? "the essay's levels or this hook's own" : "the essay's levels";
    const others = (await events.recent(1)).length > 0 ? "; the events stored are other chats' own levels, not sent to this hook" : '';
    said = `a made-up alert (no level event decided yet on ${looked}${others}: ${level.pair} ${level.id} ${event.kind} on ${event.date}), marked as a test`;
  }
  return marked(o, message, sample, said);
}

/**
 * `webhook test --digest`: the digest of the latest closes, as the 17:30 job builds it, with its
 * chart (a digest's body is about twice an alert's: a receiver that takes the alert may refuse it),
 * marked as a test as the alert sample is; its `data` holds only the marks (a digest has none).
 * Undefined when there is no digest to build (no closes of both ratios yet).
 */
export async function digestSample(o: Parameters<typeof testSample>[0] & { story: StoryOptions }): Promise<TestSample | undefined> {
  const data = digestAt(o.view, await o.view.snapshot(), o.story);
  if (data === undefined) return undefined;
  return marked(o, digestMessage(data), 'digest', `the digest of the US close of ${data.date}, marked as a test`);
}

/** A sample in the hook's language, marked as a test (title, first line, data), with its chart drawn as a real one is. */
async function marked(o: Parameters<typeof testSample>[0], message: Message, sample: 'latest' | 'made-up' | 'digest', said: string): Promise<TestSample> {
  const { lang } = o;
  // Its ages counted to today in UTC, as a real one's are for a hook (alerts/notifier.ts readerZone).
  const real = localize(message, lang, { today: dateInZone(new Date(o.nowMs), 'UTC') });
  const intro = t(lang, sample === 'latest' ? 'webhook.test.latest' : sample === 'made-up' ? 'webhook.test.madeUp' : 'webhook.test.digest');
  const localized: LocalizedMessage = {
    ...real,
    title: t(lang, 'webhook.test.alertTitle', { title: real.title ?? '' }),
    lines: [intro, ...real.lines],
    // A test pings nobody (a Discord role set for the hook's chats is not woken for it).
    mention: false,
    data: { ...(real.data ?? {}), test: true, sample },
  };
  let chart: ChartFile | undefined;
  let noChart: string | undefined;
  if (real.chart !== undefined) {
    try {
      // Its chart marked too: the picture alone (a chat's preview, a forward) must not read as a break.
      const c = await o.charts.render(real.chart.kind === 'alert' ? { ...real.chart, test: true } : real.chart, { lang, theme: o.theme });
      chart = { png: c.png, filename: c.filename };
    } catch (e) {
      // As the dispatcher does: the alert goes as text, and the operator is told why.
      noChart = e instanceof Error ? e.message : String(e);
    }
  }
  return { message: localized, chart, said, noChart };
}
