/**
 * The stopped-chat matrix (docs/architecture.md "Stopped chats"): every command that touches what
 * the bot posts × what a platform stop holds (nothing, alerts, the digest, both) × its cause
 * (blocked, kicked, lost rights) × where (Telegram private chat and group, Discord channel and DM),
 * run through the real commands on a real SQLite file. Each row asserts what the reply says and
 * what is stored after: nothing a user did not ask for changes, and no reply claims a delivery that
 * will not come. The platforms' own checks (Telegram asking getChatMember, Discord's permissions)
 * are tested through grammY and discord.js: tests/platforms/telegram/stopped-chats.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { platformText, stopKey } from '../../src/chat/replies.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import type { ChatContext } from '../../src/chat/context.ts';
import { t, type Lang } from '../../src/domain/i18n/index.ts';
import { stopCause, stopReason, type StopCause, type StopHad } from '../../src/domain/stop-cause.ts';
import type { Subscription } from '../../src/store/subscriptions.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';

type Stop = 'none' | StopHad;
type Where = 'telegram private' | 'telegram group' | 'discord channel' | 'discord dm';
type Name =
  | 'start'
  | 'subscribe'
  | 'unsubscribe'
  | 'unsubscribe spx'
  | 'unsubscribe spx 2.5'
  | 'digest 09:00'
  | 'digest off'
  | 'mylevels'
  | 'mylevels add'
  | 'quiet'
  | 'move add'
  | 'mute'
  | 'lang'
  | 'help';

const STOPS: readonly Stop[] = ['none', 'alerts', 'digest', 'both'];
/** Kicked is kept as 'removed' (domain/stop-cause.ts). */
const CAUSES: readonly StopCause[] = ['blocked', 'removed', 'rights'];
const WHERE: Record<Where, Pick<ChatContext, 'platform' | 'chatType'>> = {
  'telegram private': { platform: 'telegram', chatType: 'private' },
  'telegram group': { platform: 'telegram', chatType: 'group' },
  'discord channel': { platform: 'discord', chatType: 'group' },
  'discord dm': { platform: 'discord', chatType: 'private' },
};
/** Every language in turn, by cause: each row reads in one of them. */
const LANG_OF: Record<StopCause, Lang> = { blocked: 'zh-TW', removed: 'en', rights: 'zh-CN' } as Record<StopCause, Lang>;

/** Telegram's words, or Discord's named options, for each command. */
const INPUT: Record<Name, { words: string[]; values: Record<string, string> }> = {
  start: { words: [], values: {} },
  subscribe: { words: [], values: {} },
  unsubscribe: { words: [], values: {} },
  'unsubscribe spx': { words: ['spx'], values: { pairs: 'spx' } },
  'unsubscribe spx 2.5': { words: ['spx', '2.5'], values: { pairs: 'spx', levels: '2.5' } },
  'digest 09:00': { words: ['09:00', 'UTC'], values: { time: '09:00', timezone: 'UTC' } },
  'digest off': { words: ['off'], values: { time: 'off' } },
  mylevels: { words: [], values: {} },
  'mylevels add': { words: ['add', 'spx', '1.8'], values: { action: 'add', pair: 'spx', value: '1.8' } },
  quiet: { words: ['23:00-07:00', 'UTC'], values: { hours: '23:00-07:00', timezone: 'UTC' } },
  'move add': { words: ['spx', '10', '20'], values: { action: 'add', pair: 'spx', percent: '10', days: '20' } },
  mute: { words: ['2h'], values: { duration: '2h' } },
  lang: { words: ['zh-TW'], values: { language: 'zh-TW' } },
  help: { words: [], values: {} },
};

/** What a row stores, as the matrix reads it: the stop by its cause, not the platform's words. */
interface State {
  readonly active: boolean;
  readonly reason: StopCause | 'unsubscribed' | null;
  readonly stopHad: StopHad | null;
  readonly digestTime: string | null;
  readonly pairs: readonly string[];
  readonly essay: readonly string[] | 'all';
}
const stateOf = (s: Subscription): State => ({
  active: s.active,
  reason: s.deactivatedReason === 'unsubscribed' ? 'unsubscribed' : (stopCause(s.deactivatedReason) ?? null),
  stopHad: s.stopHad,
  digestTime: s.digestTime,
  pairs: s.pairs,
  essay: s.levelIds,
});

/** What a row expects: the reply's status and lines (first, contained, left out, or the count), and the state after (from the state before). */
interface Expected {
  readonly status?: Reply['status'];
  readonly first?: string;
  readonly has?: readonly string[];
  readonly lacks?: readonly string[];
  readonly lineCount?: number;
  readonly after: (before: State) => State;
}

const held = (stop: Stop) => ({ alerts: stop === 'alerts' || stop === 'both', digest: stop === 'digest' || stop === 'both' });

/** The matrix's expectations, as a user reads them: one row per command and stop, the cause and place only in the words. */
function expected(name: Name, stop: Stop, cause: StopCause, ctx: ChatContext, lang: Lang): Expected {
  const say = (key: string, params?: Record<string, string | number>) => platformText(lang, key, ctx, params);
  const stopLine = (had: StopHad) => say(`${stopKey(had)}.${cause}`);
  const same = (s: State) => s;
  const digestBack = t(lang, 'chat.sub.digestBack', { time: '08:00', zone: 'UTC' });
  switch (name) {
    case 'start':
      return { first: t(lang, 'chat.start.title'), ...(stop === 'none' ? {} : { has: [stopLine(stop)] }), after: same };
    case 'mylevels':
      return stop === 'none' ? { status: 'ok', after: same } : { first: stopLine(stop), after: same };
    case 'subscribe':
      // Back on as it was (a digest the stop held with it, said so); a chat with a digest alone stopped: subscribed, its digest back.
      return {
        first: say(stop === 'none' ? 'chat.sub.already' : stop === 'digest' ? 'chat.sub.done' : 'chat.sub.resumed'),
        ...(held(stop).digest ? { has: [digestBack] } : { lacks: [digestBack] }),
        after: (s) => ({ ...s, active: true, reason: null, stopHad: null }),
      };
    case 'unsubscribe':
      if (stop === 'none') return { first: t(lang, 'chat.unsub.done'), lineCount: 2, after: (s) => ({ ...s, active: false, reason: 'unsubscribed' }) };
      if (stop === 'alerts') return { first: t(lang, 'chat.unsub.done'), lineCount: 1, after: (s) => ({ ...s, reason: 'unsubscribed', stopHad: null }) };
      // No alerts to end: said, and the digest's stop with it; nothing written.
      if (stop === 'digest') return { first: say('chat.sub.none'), has: [stopLine('digest')], after: same };
      // The alerts end by the chat's choice; the digest stays stopped (never revived), and is said so.
      return { first: t(lang, 'chat.unsub.done'), has: [stopLine('digest')], after: (s) => ({ ...s, stopHad: 'digest' }) };
    case 'unsubscribe spx':
      if (stop === 'none')
        return { status: 'ok', first: t(lang, 'chat.unsub.pairs', { pairs: t(lang, 'pair.spx-gold') }), after: (s) => ({ ...s, pairs: ['qqq-gold'] }) };
      if (stop === 'digest') return { first: say('chat.sub.none'), has: [stopLine('digest')], after: same };
      // Alerts the stop holds: the pair taken out of what /subscribe brings back, the stop kept, and no "still on".
      return {
        first: t(lang, 'chat.unsub.pairsStopped', { pairs: t(lang, 'pair.spx-gold') }),
        has: [stopLine(stop)],
        after: (s) => ({ ...s, pairs: ['qqq-gold'] }),
      };
    case 'unsubscribe spx 2.5': {
      const off = (s: State) => ({ ...s, essay: ['spx-gold-5.5', 'spx-gold-0.6-0.7', 'qqq-gold-0.4', 'qqq-gold-0.25', 'qqq-gold-0.03'] });
      if (stop === 'none') return { status: 'ok', after: off };
      if (stop === 'digest') return { first: say('chat.sub.none'), lineCount: 1, after: same };
      return { status: 'ok', has: [stopLine(stop)], after: off };
    }
    case 'digest 09:00':
      if (stop === 'none') return { status: 'ok', after: (s) => ({ ...s, digestTime: '09:00' }) };
      // A digest stopped alone comes back; with alerts in the stop it waits for /subscribe, said so (no "Next:").
      if (stop === 'digest') return { first: t(lang, 'chat.digest.resumed'), after: (s) => ({ ...s, reason: null, stopHad: null, digestTime: '09:00' }) };
      return { first: t(lang, 'chat.digest.setStopped', { time: '09:00', zone: 'UTC' }), has: [stopLine(stop)], after: (s) => ({ ...s, digestTime: '09:00' }) };
    case 'digest off':
      if (stop === 'alerts') return { first: t(lang, 'chat.digest.alreadyOff'), after: same };
      if (stop === 'both')
        return { first: t(lang, 'chat.digest.stopped'), has: [stopLine('alerts')], after: (s) => ({ ...s, stopHad: 'alerts', digestTime: null }) };
      // Nothing left in a digest-only stop: it ends (a row of settings only), and nothing is said to be stopped.
      return {
        first: t(lang, 'chat.digest.stopped'),
        lineCount: 1,
        after: (s) => (stop === 'digest' ? { ...s, reason: null, stopHad: null, digestTime: null } : { ...s, digestTime: null }),
      };
    case 'mylevels add':
    case 'move add':
    case 'mute':
      // These need alerts on: a stop that took them says why and what brings them back; a digest-only chat subscribes first.
      if (stop === 'none') return { status: 'ok', after: same };
      return { status: 'error', first: held(stop).alerts ? stopLine(stop) : t(lang, 'chat.sub.required'), after: same };
    case 'quiet': {
      // Set, the stop untouched; hours for alerts a stop holds say so, in one line with what brings them back.
      const set = t(lang, 'quiet.set', { start: '23:00', end: '07:00', zone: 'UTC' });
      if (stop === 'none') return { status: 'ok', first: set, after: same };
      if (stop === 'digest') return { status: 'ok', first: set, lacks: [stopLine('digest')], after: same };
      return { status: 'ok', first: set, has: [stopLine(stop)], after: same };
    }
    case 'lang': {
      // Set, and the stop said in the language just chosen: what it holds will read in it once back.
      const done = t('zh-TW', 'chat.lang.done', { lang: t('zh-TW', 'chat.lang.zh-TW') });
      if (stop === 'none') return { status: 'ok', first: done, lineCount: 1, after: same };
      return { status: 'ok', first: done, has: [platformText('zh-TW', `${stopKey(stop)}.${cause}`, ctx)], lineCount: 2, after: same };
    }
    case 'help':
      return { status: 'ok', first: t(lang, 'chat.help.title'), ...(stop === 'none' ? {} : { has: [stopLine(stop)] }), after: same };
  }
}

interface Row {
  readonly where: Where;
  readonly name: Name;
  readonly stop: Stop;
  readonly cause: StopCause;
}

const ROWS: Row[] = (Object.keys(WHERE) as Where[]).flatMap((where) =>
  (Object.keys(INPUT) as Name[])
    // /start is Telegram's (and the console's) first message; Discord has none.
    .filter((name) => name !== 'start' || where.startsWith('telegram'))
    .flatMap((name) =>
      STOPS.flatMap((stop): Row[] => (stop === 'none' ? [{ where, name, stop, cause: 'removed' }] : CAUSES.map((cause) => ({ where, name, stop, cause })))),
    ),
);

let w: ChatWorld;
beforeAll(() => {
  w = chatWorld();
});
afterAll(() => w.close());

let nextChat = 1;

/** A chat with alerts and a digest at 08:00 UTC as `stop` says, stopped by `cause` (none: both on, not stopped). */
async function chatIn(ctx: ChatContext, lang: Lang, stop: Stop, cause: StopCause): Promise<Subscription> {
  const sub = await w.deps.subs.upsert(ctx.platform, ctx.chatId, { lang, active: stop !== 'digest' });
  if (stop !== 'alerts') await w.deps.digests!.set(sub.id, '08:00', 'UTC', ctx.nowMs);
  if (stop !== 'none') await w.deps.subs.chatGone(ctx.platform, ctx.chatId, stopReason(cause, 'as the platform said it'));
  const row = (await w.deps.subs.get(ctx.platform, ctx.chatId))!;
  expect(row.stopHad).toBe(stop === 'none' ? null : stop);
  return row;
}

describe('/quiet alone in a stopped chat', () => {
  test.each(STOPS)('GIVEN quiet hours and stop %s THEN the hours, then the stop line where it holds alerts', async (stop) => {
    const lang: Lang = 'zh-TW';
    const ctx = chatCtx({ platform: 'telegram', chatType: 'private', chatId: `q${nextChat++}`, userLanguageCode: lang });
    const sub = await w.deps.subs.upsert(ctx.platform, ctx.chatId, { lang, active: stop !== 'digest' });
    await w.deps.quiet!.set(sub!.id, () => ({ start: '23:00', end: '07:00', zone: 'UTC' }), ctx.nowMs);
    if (stop !== 'alerts') await w.deps.digests!.set(sub!.id, '08:00', 'UTC', ctx.nowMs);
    if (stop !== 'none') await w.deps.subs.chatGone(ctx.platform, ctx.chatId, stopReason('blocked', 'Forbidden: bot was blocked by the user'));
    const lines = plainText(await findCommand('quiet')!.run(w.deps, ctx, [])).split('\n');
    expect(lines[0]).toBe(t(lang, 'quiet.on', { start: '23:00', end: '07:00', zone: 'UTC' }));
    const line = (had: StopHad) => platformText(lang, `${stopKey(had)}.blocked`, ctx);
    if (stop === 'alerts' || stop === 'both') expect(lines).toContain(line(stop));
    else for (const had of ['alerts', 'digest', 'both'] as const) expect(lines).not.toContain(line(had));
  });
});

describe('stopped chats: every command that touches delivery, by stop, cause and place', () => {
  test.each(ROWS)('$where · /$name · stop $stop · $cause', async ({ where, name, stop, cause }) => {
    const lang = LANG_OF[cause];
    // Telegram asks the Bot API before it lifts a stop for rights: here it says the bot may post again (its "no" is stopped-chats.test.ts).
    const ctx = chatCtx({
      ...WHERE[where],
      chatId: `m${nextChat++}`,
      userLanguageCode: lang,
      ...(where.startsWith('telegram') ? { mayPost: async () => true } : {}),
    });
    const before = stateOf(await chatIn(ctx, lang, stop, cause));
    const command = findCommand(name.split(' ')[0]!)!;
    const input = INPUT[name];
    const r = ctx.platform === 'discord' ? await command.runNamed(w.deps, ctx, input.values) : await command.run(w.deps, ctx, input.words);
    const want = expected(name, stop, cause, ctx, lang);
    const lines = plainText(r).split('\n');
    if (want.status !== undefined) expect(r.status, lines.join('\n')).toBe(want.status);
    if (want.first !== undefined) expect(lines[0]).toBe(want.first);
    for (const line of want.has ?? []) expect(lines).toContain(line);
    for (const line of want.lacks ?? []) expect(lines).not.toContain(line);
    if (want.lineCount !== undefined) expect(lines).toHaveLength(want.lineCount);
    // Whatever the command, a reply never says a stop holds what it does not: the stop's line is the one the row now keeps.
    const after = (await w.deps.subs.get(ctx.platform, ctx.chatId))!;
    expect(stateOf(after)).toEqual(want.after(before));
    const other = (['alerts', 'digest', 'both'] as const)
      .filter((h) => h !== after.stopHad)
      .flatMap((h) => [platformText(lang, `${stopKey(h)}.${cause}`, ctx), platformText('zh-TW', `${stopKey(h)}.${cause}`, ctx)]);
    for (const line of other) expect(lines).not.toContain(line);
  });
});
