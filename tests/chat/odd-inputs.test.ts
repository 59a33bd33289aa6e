/**
 * Every command the registry declares × odd inputs × every language, through the Telegram fake and
 * the Discord fake: a standing guarantee, so a new command or a new kind of argument is covered
 * without editing this file. An odd input goes in at each argument's place (the ones before it
 * filled with an ordinary value of their kind), in a private Telegram chat (half of them
 * subscribed with the language set, half new with only the user's language_code) and in a Discord
 * channel (an option of the same place, when its type takes the input: a number option only a
 * finite number, a choice option never).
 *
 * Every answer must exist, be in the chat's language, be short, hold no stack trace or JavaScript
 * leftovers, echo the input escaped and cut, be HTML Telegram accepts (the fake refuses what
 * Telegram would), and leave the chat's settings as they were when it refused the input.
 *
 * Cost: one Telegram bot and one Discord bot for the whole matrix, every case of a batch in its own
 * chat at once. Telegram gets every command × every input at the first argument in both Chinese
 * languages (English every third case); the later places and Discord one language each, rotated
 * (deterministic: by the case's index). About 6 s alone, 10 s on a loaded 2-core machine.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Statement } from 'better-sqlite3';
import type { FakeTelegram, RecordedCall } from '../fakes/telegram.ts';
import { ALL_SEND_PERMISSIONS, type FakeDiscord, MANAGE_CHANNELS, slashInteraction } from '../fakes/discord.ts';
import { parseTelegramHtml } from '../fakes/telegram-html.ts';
import type { World } from '../helpers/telegram-harness.ts';
import { interactionAnswer, type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { commandsOn, findCommand } from '../../src/chat/registry.ts';
import { argsOn, kindChoices, type ArgKind, type ArgSpec, type ArgValue } from '../../src/chat/args.ts';
import { commandWords } from '../../src/chat/command-words.ts';
import { visibleText } from '../../src/chat/parse.ts';
import { LANGS, type Lang } from '../../src/domain/i18n/index.ts';
import type { Platform } from '../../src/domain/platform.ts';
import { discordLocale } from '../helpers/lang-codes.ts';

const LONG_WORD = 'x'.repeat(4000);

/** The odd inputs, by a readable name. */
const ODD: readonly (readonly [string, string])[] = [
  ['empty', ''],
  ['whitespace', ' \t  '],
  ['4000-char word', LONG_WORD],
  ['rocket', '🚀'],
  // Echoed cut to 40 characters: the cut falls inside the twentieth rocket.
  ['40 rockets', '🚀'.repeat(40)],
  ['flag', '🇹🇼'],
  ['ZWJ family', '👨‍👩‍👧‍👦'],
  ['mixed scripts', 'spx標普Σ'],
  ['0', '0'],
  ['-1', '-1'],
  ['1e309', '1e309'],
  ['1e-9', '1e-9'],
  ['NaN', 'NaN'],
  ['Infinity', 'Infinity'],
  ['0x10', '0x10'],
  ['Arabic-Indic 3', '٣'],
  ['full-width 2.5', '２.５'],
  ['decimal comma', '2,5'],
  ['2.5.5', '2.5.5'],
  ['--from', '--from'],
  ['@everyone', '@everyone'],
  ['<script>', '<script>alert(1)</script>'],
  ['SQL', "'; DROP TABLE subscriptions;--"],
  ['zero-width space', '\u200b'],
  ['RTL mark', '\u200f'],
  ['newline', 'spx\n1y'],
  ['specials', '*_[]()~`>#+-=|{}.!'],
  ['glued command', '/help'],
];

/** An ordinary value of each kind, for the places before the odd one. */
const SAMPLE: Readonly<Record<ArgKind, string | undefined>> = {
  pair: 'spx',
  chart: 'spx',
  range: '1y',
  date: '2020',
  level: '1.8',
  levelRef: '2.5',
  duration: '1h',
  language: 'en',
  time: '08:00',
  timezone: 'UTC',
  quietSpan: '23:00-07:00',
  percent: '10',
  days: '20',
  command: 'ratio',
  word: undefined,
  channel: undefined,
  role: undefined,
};
const sample = (spec: ArgSpec): string | undefined => (spec.kind === 'word' ? spec.choices?.[0] : SAMPLE[spec.kind]);

interface Case {
  readonly id: number;
  readonly platform: Platform;
  readonly command: string;
  readonly lang: Lang;
  /** Whether the chat is subscribed (its language set) before the command. */
  readonly subscribed: boolean;
  readonly oddName: string;
  readonly odd: string;
  /** Telegram: the message's text. */
  readonly text: string;
  /** Discord: the options. */
  readonly options: readonly { name: string; type: number; value: ArgValue }[];
}

/** Discord's option types, as platforms/discord/manifest.ts declares them. */
const NUMBER_KINDS: ReadonlySet<ArgKind> = new Set(['level']);
const optionType = (k: ArgKind): number => (NUMBER_KINDS.has(k) ? 10 : 3);

/** The option value Discord would let through for `input` at `spec`, or undefined when its client would not. */
function discordValue(spec: ArgSpec, input: string): ArgValue | undefined {
  if (spec.kind === 'channel' || spec.kind === 'role') return undefined;
  const choices = spec.many === true && spec.kind !== 'pair' ? undefined : kindChoices(spec, 'en');
  if (choices !== undefined) return choices.some((c) => c.value === input) ? input : undefined;
  if (NUMBER_KINDS.has(spec.kind)) {
    if (!/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(input.trim())) return undefined;
    const n = Number(input);
    if (!Number.isFinite(n) || Math.abs(n) > 2 ** 53) return undefined;
    return n;
  }
  // A string option: Discord trims it and refuses an empty one; a date's is 2..40 characters, a move's days 1..40, its percent 1..20.
  const v = input.trim();
  if (v === '' || v.length > 6000) return undefined;
  if (spec.kind === 'date' && (v.length < 2 || v.length > 40)) return undefined;
  if (spec.kind === 'time' && v.length > 64) return undefined;
  if (spec.kind === 'days' && v.length > 40) return undefined;
  if (spec.kind === 'percent' && v.length > 20) return undefined;
  return v;
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  let id = 0;
  for (const platform of ['telegram', 'discord'] as const) {
    for (const c of commandsOn(platform)) {
      const specs = argsOn(c.args, platform);
      for (let place = 0; place < Math.max(1, specs.length); place++) {
        const before = specs.slice(0, place);
        const words = before.map(sample);
        if (words.some((w) => w === undefined)) continue;
        for (const [oddName, odd] of ODD) {
          const n = id++;
          // Telegram's first place: both Chinese languages (where an English leftover shows) and English
          // every third case; the later places and Discord: one language each, rotated.
          const langs = platform === 'telegram' && place === 0 ? LANGS.filter((l) => l !== 'en' || n % 3 === 0) : [LANGS[n % LANGS.length]!];
          let options: Case['options'] = [];
          if (platform === 'discord') {
            const spec = specs[place];
            const value = spec === undefined ? (odd === '' ? null : undefined) : discordValue(spec, odd);
            if (value === undefined) continue;
            options = [
              ...before.map((s) => ({ name: s.name, type: optionType(s.kind), value: discordValue(s, sample(s)!)! })),
              ...(spec !== undefined && value !== null ? [{ name: spec.name, type: optionType(spec.kind), value }] : []),
            ];
          }
          for (const lang of langs) {
            const k = id++;
            const text = `/${c.name}${[...words, odd].map((w) => (w === '' ? '' : ` ${w}`)).join('')}`;
            cases.push({ id: k, platform, command: c.name, lang, subscribed: k % 2 === 0, oddName, odd, text, options });
          }
        }
      }
    }
  }
  return cases;
}

const CASES = buildCases();

let bots: RunningBots;
let tgFake: FakeTelegram;
let dcFake: FakeDiscord;
let world: World;

beforeAll(async () => {
  bots = await startBothBots();
  ({ tgFake, dcFake, world } = bots);
});
afterAll(() => {
  statements.clear();
  return stopBothBots(bots);
});

const chatOf = (c: Case): string => (c.platform === 'telegram' ? String(100_000 + c.id) : String(730_000_000_000_000_000n + BigInt(c.id)));
/** What the client says: the chat's own language tag as Telegram's language_code (zh-TW, as an app set so sends it). */
const USER_CODE = (lang: Lang): string => lang;

/** The file's statements, prepared once on its world's database: settings() reads three tables twice per case. */
const statements = new Map<string, Statement>();
function query(sql: string): Statement {
  let s = statements.get(sql);
  if (s === undefined) statements.set(sql, (s = world.db.prepare(sql)));
  return s;
}

/** The chat's settings: its subscription and everything hanging from it. */
function settings(platform: Platform, chatId: string): string {
  const sub = query('SELECT * FROM subscriptions WHERE platform = ? AND chat_id = ?').get(platform, chatId) as { id: number } | undefined;
  if (sub === undefined) return 'none';
  const rows = (table: string) => query(`SELECT * FROM ${table} WHERE subscription_id = ? ORDER BY 1, 2`).all(sub.id);
  return JSON.stringify([sub, rows('sub_watches'), rows('move_watches')]);
}

interface Answer {
  readonly text: string;
  /** What the platform refused of our answers (Telegram's 400s). */
  readonly refused: readonly string[];
  readonly before: string;
  readonly after: string;
}

/**
 * How long a batch's answers are waited for. 200 commands at once, charts among them: on a loaded
 * 2-core machine a batch's last answers came after 15 s (61 Telegram cases "no answer" once). A
 * bound for an answer that never comes, which is then named; the test's timeout leaves room for
 * every batch to wait it out.
 */
const BATCH_WAIT_MS = 40_000;

/** Runs a batch of Telegram cases at once, each in its own private chat. */
async function telegramBatch(cases: readonly Case[]): Promise<Map<number, Answer>> {
  const before = new Map<number, string>();
  for (const c of cases) {
    if (c.subscribed) await world.deps.subs.upsert('telegram', chatOf(c), { lang: c.lang });
    before.set(c.id, settings('telegram', chatOf(c)));
  }
  const from = tgFake.calls.length;
  for (const c of cases) tgFake.textMessage(Number(chatOf(c)), c.text, { id: Number(chatOf(c)), first_name: 'Lin', language_code: USER_CODE(c.lang) });
  const want = new Set(cases.map(chatOf));
  const answered = (call: RecordedCall) => call.chatId !== undefined && want.has(call.chatId) && (call.method === 'sendMessage' || call.method === 'sendPhoto');
  const seen = new Set<string>();
  // waitFor runs the predicate over every call since the batch's first message, at each new call.
  // A chat never answered is named below ("no answer"), not lost in a timeout.
  await tgFake
    .waitFor(
      (call) => {
        if (answered(call)) seen.add(call.chatId!);
        return seen.size === want.size;
      },
      BATCH_WAIT_MS,
      from,
    )
    .catch(() => undefined);
  // A second message (the usage after a refusal, a chart's caption) comes right after the first.
  await new Promise((r) => setTimeout(r, 30));
  const out = new Map<number, Answer>();
  for (const c of cases) {
    const calls = tgFake.calls.slice(from).filter((call) => call.chatId === chatOf(c) && (call.method === 'sendMessage' || call.method === 'sendPhoto'));
    const texts = calls
      .filter((call) => call.status === 200)
      .map((call) => {
        const html = String(call.params.text ?? call.params.caption ?? '');
        const parsed = parseTelegramHtml(html);
        return parsed.ok ? parsed.text : html;
      });
    out.set(c.id, {
      text: texts.join('\n'),
      refused: calls.filter((call) => call.status !== 200).map((call) => `${call.status} ${call.description ?? ''}`),
      before: before.get(c.id)!,
      after: settings('telegram', chatOf(c)),
    });
  }
  return out;
}

/** Runs a batch of Discord cases at once, each in its own channel, from a member who may change settings. */
async function discordBatch(cases: readonly Case[]): Promise<Map<number, Answer>> {
  const before = new Map<number, string>();
  for (const c of cases) {
    if (c.subscribed) await world.deps.subs.upsert('discord', chatOf(c), { lang: c.lang });
    before.set(c.id, settings('discord', chatOf(c)));
  }
  const out = new Map<number, Answer>();
  await Promise.all(
    cases.map(async (c) => {
      const { token } = dcFake.interact(
        slashInteraction({
          name: c.command,
          channelId: chatOf(c),
          userId: String(600_000_000_000_000_000n + BigInt(c.id)),
          locale: discordLocale(c.lang),
          guildLocale: discordLocale(c.lang),
          permissions: MANAGE_CHANNELS | ALL_SEND_PERMISSIONS,
          options: [...c.options],
        }),
      );
      const answer = await interactionAnswer(dcFake, token, BATCH_WAIT_MS).catch(() => undefined);
      const body = (answer?.body.data ?? answer?.body ?? {}) as DiscordBody;
      out.set(c.id, { text: discordText(body), refused: [], before: before.get(c.id)!, after: settings('discord', chatOf(c)) });
    }),
  );
  return out;
}

interface DiscordBody {
  readonly content?: string;
  readonly embeds?: readonly {
    title?: string;
    description?: string;
    fields?: readonly { name: string; value: string }[];
    footer?: { text: string };
  }[];
}

const discordText = (b: DiscordBody): string =>
  [
    b.content ?? '',
    ...(b.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? '']),
  ]
    .filter((s) => s !== '')
    .join('\n');

/** Words an answer may hold in a Chinese chat: pair names, tickers, units, option names, the usage line's, zones. */
const LATIN_ALLOWED = /\b(?:SPX|QQQ|Gold|S&P|M2|UTC|GMT|HH:MM|YYYY(?:-MM(?:-DD)?)?|Asia\/\w+|America\/\w+|Europe\/\w+|Etc\/[\w+-]+)\b/g;

/** Why an answer breaks a rule, or undefined. */
function problem(c: Case, a: Answer): string | undefined {
  if (a.refused.length > 0) return `the platform refused the answer: ${a.refused.join('; ')}`;
  if (a.text.trim() === '') return 'no answer';
  if (
    /\bError:|TypeError|RangeError|\bundefined\b|\bNaN\b|\[object \w+\]|\bat \S+ \(.*:\d+:\d+\)/.test(
      a.text.replace(c.odd, '').replace(/NaN/g, c.odd.includes('NaN') ? '' : 'NaN'),
    )
  )
    return 'a stack trace or a JavaScript leftover';
  // An input of invisible characters only is no input: the command's whole answer (/help's list) is right.
  // So is /help's list after words that name no command (`/help 🚀`): the reader asked for help (reader25).
  if (visibleText(c.odd).trim() !== '' && c.command !== 'help' && a.text.split('\n').length > 8) return `${a.text.split('\n').length} lines`;
  if (a.text.includes(LONG_WORD.slice(0, 200))) return 'the 4000-character word echoed uncut';
  // An echo of characters that show as nothing ("" is more than this command takes) names nothing the user sees.
  if (/["“「][\s\u200b\u200c\u200e\u200f\u2060\u00ad]*["”」]/.test(a.text)) return 'an echo of nothing visible';
  if (c.lang !== 'en') {
    // The echoed input (whole, or cut to its first characters) and the allowed words out, then no run of three English words.
    let rest = a.text;
    for (const w of commandWords(c.text.replace(/^\/\S+/, ''))) rest = rest.split(w).join(' ').split(w.slice(0, 39)).join(' ');
    rest = rest.replace(LATIN_ALLOWED, ' ');
    const english = /[A-Za-z]{2,}(?:[ ,'’]+[A-Za-z]{2,}){2,}/.exec(rest);
    if (english !== null) return `English in a ${c.lang} chat: "${english[0]}"`;
  }
  return undefined;
}

/** A refusal in a chat whose settings changed: the command as chat/ runs it, in a chat set up alike, must say ok. */
async function changedOnRefusal(c: Case, a: Answer): Promise<string | undefined> {
  if (a.before === a.after) return undefined;
  const oracle = `oracle-${c.id}`;
  if (c.subscribed) await world.deps.subs.upsert(c.platform, oracle, { lang: c.lang });
  const ctx = {
    platform: c.platform,
    chatId: oracle,
    chatType: 'private' as const,
    userLanguageCode: USER_CODE(c.lang),
    nowMs: Date.now(),
    isAdmin: async () => true,
  };
  const command = findCommand(c.command)!;
  const r =
    c.platform === 'telegram'
      ? await command.run(world.deps, ctx, commandWords(c.text.replace(/^\/\S+/, '')))
      : await command.runNamed(world.deps, ctx, Object.fromEntries(c.options.map((o) => [o.name, o.value])));
  return r.status === 'ok' ? undefined : `settings changed though the answer was a ${r.status}`;
}

const label = (c: Case) =>
  `${c.platform} ${c.lang}${c.subscribed ? ' subscribed' : ''} ${JSON.stringify(c.text)} ${c.platform === 'discord' ? JSON.stringify(c.options) : ''}`;

describe('every command × odd inputs × every language answers clearly and changes nothing it refused', () => {
  for (const platform of ['telegram', 'discord'] as const) {
    test(`${platform}: ${CASES.filter((c) => c.platform === platform).length} cases`, { timeout: 300_000 }, async () => {
      const cases = CASES.filter((c) => c.platform === platform);
      const failures: string[] = [];
      const BATCH = 200;
      for (let i = 0; i < cases.length; i += BATCH) {
        const batch = cases.slice(i, i + BATCH);
        const answers = platform === 'telegram' ? await telegramBatch(batch) : await discordBatch(batch);
        for (const c of batch) {
          const a = answers.get(c.id)!;
          const why = problem(c, a) ?? (await changedOnRefusal(c, a));
          if (why !== undefined) failures.push(`${label(c)}: ${why}\n    said: ${JSON.stringify(a.text.slice(0, 300))}`);
        }
      }
      expect(failures, failures.slice(0, 40).join('\n')).toEqual([]);
    });
  }
});
