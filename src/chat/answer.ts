/**
 * Intents, not decisions in adapters. chat/ says what kind of answer each event gets, and a
 * platform only renders it:
 * - `message`: a new message (`personal`: only the asker needs it — usage, refusal, error, a
 *   settings confirmation. Discord: ephemeral; Telegram: a message, in groups quoting the command).
 * - `edit`: replace the message whose button was pressed (Telegram: edit; Discord: update).
 * - `notice`: a small notice to the presser only (Telegram: callback answer; Discord: ephemeral).
 * It also owns the chart that cannot be drawn (it becomes a note), the apology when handling
 * fails, and what a chat that moved or removed the bot means for its subscription.
 */
import { isBusy, isDiskFull, isUnreachable } from '../store/busy.ts';
import { DatabaseFileGoneError } from '../store/file-identity.ts';
import { ChartDataError } from '../charts/errors.ts';
import type { ChartRenderer, RenderedChart } from '../domain/chart-request.ts';
import { langFromCode, t, type Lang } from '../domain/i18n/index.ts';
import { commandCalled, commandNamed, commandWords } from './command-words.ts';
import type { Platform } from '../domain/platform.ts';
import { stopCause, stopHadAlerts, stopReason, type StopCause } from '../domain/stop-cause.ts';
import { pairName, stoppedOnLines } from './labels.ts';
import { eventText } from './commands/reference.ts';
import { ESSAY_LEVELS } from '../domain/levels.ts';
import { watchesOf } from '../domain/watches.ts';
import { fmtDate } from '../domain/i18n/format.ts';
import type { Subscription } from '../store/subscriptions.ts';
import type { ArgValues } from './args.ts';
import { handleAction } from './buttons.ts';
import { chatLang, type ChatContext, type ChatDeps } from './context.ts';
import type { ChatCommand } from './define-command.ts';
import type { FloodLimiter } from './flood-limit.ts';
import { echo, parseChartTarget } from './parse.ts';
import { findCommand } from './registry.ts';
import { platformText, stopKey, type Where } from './replies.ts';
import { plainText, reply, type Reply } from './reply.ts';

export type Answer =
  | { readonly kind: 'message'; readonly reply: Reply; readonly personal: boolean }
  | { readonly kind: 'edit'; readonly reply: Reply }
  | { readonly kind: 'notice'; readonly text: string; readonly alert: boolean };

/** Telegram shows at most 200 characters in a callback answer; Discord's ephemeral is bigger. */
export const NOTICE_MAX = 200;

/** A command run with words (Telegram) or option values (Discord), as an intent. */
export async function answerCommand(
  deps: ChatDeps,
  ctx: ChatContext,
  command: ChatCommand,
  input: { readonly words: readonly string[] } | { readonly values: ArgValues },
): Promise<Answer> {
  const reply = 'words' in input ? await command.run(deps, ctx, input.words) : await command.runNamed(deps, ctx, input.values);
  return { kind: 'message', reply, personal: reply.status !== 'ok' || command.changesSettings };
}

/** A pressed button, as an intent: a refusal or a stale button is a notice to the presser, not a message to the whole group. */
export async function answerButton(deps: ChatDeps, ctx: ChatContext, action: string): Promise<Answer> {
  const { reply, edit } = await handleAction(deps, ctx, action);
  if (reply.status === 'denied' || (reply.status === 'error' && !edit && reply.chart === undefined && reply.buttons === undefined)) {
    return { kind: 'notice', text: plainText(reply).slice(0, NOTICE_MAX), alert: reply.status === 'denied' };
  }
  return edit ? { kind: 'edit', reply } : { kind: 'message', reply, personal: reply.status !== 'ok' };
}

/** Who is answered before a ChatContext exists (a failure, a flood): the chat when known, the user's language. */
export interface Asker {
  readonly platform: Platform;
  readonly chatId: string | undefined;
  readonly userLanguageCode: string | undefined;
}

async function askerLang(deps: Pick<ChatDeps, 'subs' | 'config'>, who: Asker): Promise<Lang> {
  // The database may be what failed: then the user's own language answers.
  const sub = who.chatId === undefined ? undefined : await deps.subs.get(who.platform, who.chatId).catch(() => undefined);
  return sub?.lang ?? langFromCode(who.userLanguageCode, deps.config.defaultLang);
}

/**
 * The answer when handling failed (a bug, an IO error, a database busy beyond busy_timeout): the
 * user still hears something, in the chat's language when known. `pressed`: it was a button (a notice), else a message.
 */
export async function apology(deps: Pick<ChatDeps, 'subs' | 'config'>, who: Asker, pressed: boolean, error?: unknown): Promise<Answer> {
  // The database unreachable (PostgreSQL down, or silent past the query deadline): asking it the
  // chat's language would only wait that long again, so the user's own language answers.
  const unreachable = isUnreachable(error);
  const lang = unreachable ? langFromCode(who.userLanguageCode, deps.config.defaultLang) : await askerLang(deps, who);
  // Another process held the write lock past busy_timeout: the write rolled back whole, so say
  // that nothing changed and to ask again, not that something broke.
  // The database file deleted or replaced under the bot: a settings change would be lost, so it
  // was refused (store/file-identity.ts); say so rather than apologise for a bug.
  // The disk holding the database full: trying again in a minute would not help, and nothing was saved.
  // The database unreachable: not a bug of the bot's, and it passes; say so.
  const text = t(
    lang,
    isBusy(error)
      ? 'chat.busy'
      : error instanceof DatabaseFileGoneError
        ? 'chat.dbGone'
        : isDiskFull(error)
          ? 'chat.diskFull'
          : unreachable
            ? 'chat.dbUnreachable'
            : 'chat.failed',
  );
  return pressed ? { kind: 'notice', text, alert: false } : { kind: 'message', reply: { status: 'error', lines: [[text]] }, personal: true };
}

/**
 * A command goldratio does not have (`/foo` typed in a private chat): what it is not, the one it
 * most likely meant among `known` (a typo, or a word people try), and where the list is.
 */
export function unknownCommand(lang: Lang, command: string, known: readonly string[] = []): Reply {
  const near = commandNamed(command, known);
  return {
    status: 'error',
    lines: [[near === undefined ? t(lang, 'chat.unknownCommand', { command: echo(command) }) : t(lang, 'chat.unknownCommandNear', { command, near })]],
  };
}

/**
 * Text with no command mark, sent to the bot in a private chat. A command that only reads, named
 * by the first word (`ratio`, `chart spx 5y`, `價格`, `help digest`), runs as if typed with its
 * slash; a pair alone is its ratio (`spx`, `標普`), a pair with more words its chart (`qqq
 * 2007-2009`), and `power` (購買力) is /power; the emoji around its words and a sentence's end after
 * them are no part of them (`标普？`, `spx!`), as in a command's. A command that changes settings (`訂閱`) is named,
 * never run: that takes its slash. Anything else gets what the bot answers.
 */
export async function answerText(deps: ChatDeps, ctx: ChatContext, text: string, known: readonly string[]): Promise<Answer> {
  // Its words as a command's are read (commandWords): `标普？`, `qqq?` and `纳指 🚀` are `标普`, `qqq` and `纳指`.
  const [first = '', ...rest] = commandWords(text);
  const named = commandCalled(first, known);
  const target = named === undefined ? parseChartTarget(first) : undefined;
  const run =
    named !== undefined
      ? { name: named, words: rest }
      : target?.ok !== true
        ? undefined
        : target.value === 'power'
          ? { name: 'power', words: rest }
          : { name: rest.length === 0 ? 'ratio' : 'chart', words: [first, ...rest] };
  const command = run === undefined || !known.includes(run.name) ? undefined : findCommand(run.name);
  if (command !== undefined && run !== undefined && !command.changesSettings) return answerCommand(deps, ctx, command, { words: run.words });
  return { kind: 'message', reply: notACommand(await chatLang(deps, ctx), text, known), personal: true };
}

/**
 * Text that is not a command, sent to the bot in a private chat: the command it names in any
 * language's words (`訂閱`, `/訂閱`: Telegram commands are Latin, Discord's names are not; `price`),
 * else what the bot answers.
 */
export function notACommand(lang: Lang, text: string, known: readonly string[] = []): Reply {
  const near = commandNamed(text, known);
  return { status: 'error', lines: [[near === undefined ? t(lang, 'chat.notCommand') : t(lang, 'chat.notCommandNear', { near })]] };
}

/**
 * The reply's chart, drawn (or reused from the cache), or the reply with a note saying why there
 * is none when the data cannot make one. Other failures throw (the apology answers them).
 */
export async function withChart(
  charts: ChartRenderer,
  reply: Reply,
  lang: Lang,
  theme?: 'light' | 'dark',
): Promise<{ readonly reply: Reply; readonly chart: RenderedChart | undefined }> {
  if (reply.chart === undefined) return { reply, chart: undefined };
  try {
    return { reply, chart: await charts.render(reply.chart, { lang, ...(theme !== undefined ? { theme } : {}) }) };
  } catch (e) {
    if (e instanceof ChartDataError) return { reply: { ...reply, lines: [...reply.lines, [{ italic: e.message }]] }, chart: undefined };
    throw e;
  }
}

/**
 * The flood limit on one command or press by `user` (the platform's user id): run it, or drop it;
 * the first one dropped carries the notice to show the user (once, until they slow down).
 */
export async function floodGate(
  deps: Pick<ChatDeps, 'subs' | 'config'>,
  flood: FloodLimiter,
  who: Asker & { readonly userId: string },
): Promise<{ readonly run: true } | { readonly run: false; readonly notice: string | undefined; readonly lang?: Lang }> {
  const key = `${who.platform}:${who.userId}`;
  const verdict = flood.check(key);
  if (verdict === 'ok') return { run: true };
  if (verdict === 'drop') return { run: false, notice: undefined };
  const lang = await askerLang(deps, who);
  // `lang`: the notice's, for a line a platform adds to it.
  return { run: false, notice: t(lang, 'flood.slow-down', { seconds: flood.waitSeconds(key) }), lang };
}

/**
 * The line a command dropped after the notice still gets where every command needs an answer
 * (Discord: else "The application did not respond"). In the user's own language: a flooder's
 * every drop asking the database the chat's would undo what the limit spares.
 */
export function floodStill(
  deps: Pick<ChatDeps, 'config'>,
  flood: FloodLimiter,
  who: { readonly platform: Platform; readonly userId: string; readonly userLanguageCode: string | undefined },
): string {
  const lang = langFromCode(who.userLanguageCode, deps.config.defaultLang);
  return t(lang, 'flood.still', { seconds: flood.waitSeconds(`${who.platform}:${who.userId}`) });
}

/** The chat got a new id (Telegram group → supergroup): its subscription and pending messages follow. */
export async function chatMoved(deps: Pick<ChatDeps, 'subs'>, platform: Platform, fromChatId: string, toChatId: string): Promise<void> {
  await deps.subs.move(platform, fromChatId, toChatId);
}

/** The bot was removed, kicked or blocked (Discord: the guild or channel is gone): stop sending there at once. */
export async function chatRemoved(deps: Pick<ChatDeps, 'subs'>, platform: Platform, chatId: string, cause: StopCause, detail: string): Promise<void> {
  const sub = await deps.subs.get(platform, chatId);
  // Alerts on, or a digest that would come (a chat that never subscribed, or unsubscribed and kept
  // it): stopped at once, or its next digest is refused first. A chat stopped already keeps its stop.
  const sends = sub !== undefined && (sub.active || (sub.digestTime !== null && stopCause(sub.deactivatedReason) === undefined));
  if (sends) await deps.subs.chatGone(platform, chatId, stopReason(cause, detail));
}

/**
 * The bot may post in a chat again (its right to post given back, or it was promoted): a chat whose
 * alerts stopped without its asking is told why, since when, what it missed meanwhile (missedLines),
 * and that Subscribe starts them again as they were (what /start and /subscribe say there: alerts
 * never resume unasked), where its alerts went (its topic, `threadId`). Undefined for any other
 * chat: nothing to say.
 */
export async function mayPostAgain(deps: ChatDeps, ctx: ChatContext): Promise<{ reply: Reply; threadId: number | null } | undefined> {
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  const cause = sub === undefined || sub.active ? undefined : stopCause(sub.deactivatedReason);
  if (sub === undefined || cause === undefined) return undefined;
  const lang = await chatLang(deps, ctx);
  const back = sub.stopHad === 'digest' ? 'chat.sub.rightsBackDigest' : sub.stopHad === 'both' ? 'chat.sub.rightsBackBoth' : 'chat.sub.rightsBack';
  const lines = [[platformText(lang, cause === 'rights' ? back : `${stopKey(sub.stopHad)}.${cause}`, ctx)], ...stoppedOnLines(lang, sub, ctx.nowMs)];
  // A chat that only had its digest: no alerts missed, and no Subscribe button (it would turn alerts on).
  if (!stopHadAlerts(sub.stopHad)) return { reply: reply(lines), threadId: sub.threadId };
  return {
    reply: reply([...lines, ...(await missedLines(deps, lang, sub, ctx))], {
      buttons: [[{ label: t(lang, 'chat.button.subscribe'), action: 'cmd:subscribe' }]],
    }),
    threadId: sub.threadId,
  };
}

/**
 * What a stopped chat missed: the alerts (approaches left out) the essay's levels it follows
 * triggered since its alerts stopped, or since a mute it had then ended, and the latest of them;
 * none when there were none, or when the store does not know when it stopped. The essay's levels
 * only, because the bot decides them whoever listens: a chat's own level is watched only while an
 * active chat has it (store/subscriptions.ts extraWatches), so a count of those could fall short
 * of what crossed, and say less than the truth. One query (store/events.ts since).
 */
async function missedLines(deps: Pick<ChatDeps, 'events' | 'config'>, lang: Lang, sub: Subscription, where: Where): Promise<string[][]> {
  if (sub.deactivatedAt === null) return [];
  const essay = new Set(ESSAY_LEVELS.map((l) => l.id));
  const keys = watchesOf(sub, deps.config.approachPct)
    .map((w) => w.watch.key)
    .filter((key) => essay.has(key));
  const { count, latest } = await deps.events.since(keys, Math.max(sub.deactivatedAt, sub.mutedUntil ?? 0));
  if (latest === undefined) return [];
  return [
    [
      platformText(lang, 'chat.sub.missed', where, {
        count,
        date: fmtDate(latest.date, lang),
        pair: pairName(lang, latest.pair),
        event: eventText(lang, latest),
      }),
    ],
  ];
}
