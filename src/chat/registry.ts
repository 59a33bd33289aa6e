/**
 * Every platform-neutral chat command. Platforms register CHAT_COMMANDS (menus: `describe(lang)`;
 * Discord: platforms/discord/manifest.ts), run them with `run` (words) or `runNamed` (option values),
 * and answer through chat/answer.ts; they only render the Reply.
 */
import { t, type Lang } from '../domain/i18n/index.ts';
import { GROUP_PLATFORMS, type Platform } from '../domain/platform.ts';
import { argsOn, shownArg, usageLine } from './args.ts';
import { commandNamed } from './command-words.ts';
import { echo } from './parse.ts';
import { defineCommand, type ChatCommand } from './define-command.ts';
import { chatLang, type ChatContext } from './context.ts';
import { chartCommand, powerCommand, ratioCommand } from './commands/market.ts';
import { historyCommand, levelsCommand, statusCommand } from './commands/reference.ts';
import { langCommand, muteCommand, unmuteCommand } from './commands/settings.ts';
import { digestCommand } from './commands/digest.ts';
import { quietCommand } from './commands/quiet.ts';
import { moveCommand } from './commands/move.ts';
import { mylevelsCommand, subscribeCommand, unsubscribeCommand } from './commands/subscription.ts';
import { reply, type Line, type Reply } from './reply.ts';
import { platformStopLines, platformText, stopNote } from './replies.ts';

export type { ChatCommand } from './define-command.ts';
export type { ChatContext, ChatDeps } from './context.ts';
export { chatLang } from './context.ts';

const startCommand = defineCommand({
  name: 'start',
  changesSettings: false,
  args: [],
  // Telegram's first message of every private chat; Discord has no such thing.
  platforms: ['telegram', 'console'],
  // A deep link's payload (t.me/<bot>?start=from_a_post): the same welcome.
  ignoresWords: true,
  describe: (lang) => t(lang, 'chat.cmd.start'),
  async execute(deps, ctx) {
    const lang = await chatLang(deps, ctx);
    // Back after blocking the bot (or re-added to a group): why the alerts stopped, and that Subscribe resumes them.
    const sub = await deps.subs.get(ctx.platform, ctx.chatId);
    const stopped: Line[] = (sub && platformStopLines(lang, sub, ctx.nowMs, ctx)) ?? [];
    return reply(
      [[{ bold: t(lang, 'chat.start.title') }], [t(lang, 'chat.start.essay')], [t(lang, 'chat.start.body')], [t(lang, 'chat.start.more')], ...stopped],
      {
        buttons: [
          [
            { label: t(lang, 'chat.button.subscribe'), action: 'cmd:subscribe' },
            { label: t(lang, 'chat.button.ratio'), action: 'cmd:ratio' },
          ],
        ],
      },
    );
  },
});

const helpCommand = defineCommand({
  name: 'help',
  changesSettings: false,
  // Every word after /help: a reader asks in a sentence (`/help me`, `/help 怎麼用`, `/help with the chart`).
  args: [{ name: 'command', kind: 'command', many: true }],
  describe: (lang) => t(lang, 'chat.cmd.help'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    const words = (args.command as string[] | undefined) ?? [];
    const known = commandsOn(ctx.platform).map((c) => c.name);
    // The first word that names a command (`/help ratio`, `/help /ratio`, `/help 比率`, a typo) is the one asked about.
    const named = words.map((w) => commandNamed(w, known)).find((n) => n !== undefined);
    if (named !== undefined) return commandHelp(lang, ctx, named);
    const lines: Line[] = [];
    // No word names one: the reader asked for help (`/help me`, `/help please`), so the list. A word written as
    // a command (`/help /foo`) is said to be none first; a word that is no command's name is no mistake of theirs.
    const slashed = words.find((w) => w.startsWith('/'));
    if (slashed !== undefined) lines.push([t(lang, 'chat.help.noCommand', { command: echo(slashed.replace(/^\//, '')) })]);
    lines.push([{ bold: t(lang, 'chat.help.title') }]);
    const here = commandsOn(ctx.platform).filter((c) => ctx.commands === undefined || ctx.commands.has(c.name));
    for (const c of here) lines.push([{ code: usageLine(c.name, c.args, lang, ctx.platform) }, ` ${c.describe(lang, ctx)}`]);
    if (ctx.commands !== undefined) lines.push([{ italic: t(lang, 'chat.help.readOnly') }]);
    else if (GROUP_PLATFORMS.has(ctx.platform)) lines.push([{ italic: platformText(lang, 'chat.help.groups', ctx) }]);
    // A stopped chat reading what the bot can do: that nothing it set arrives until the stop is lifted, and how.
    // The list needs no database: one that cannot answer leaves the note out, not the list.
    const stopped = stopNote(lang, await deps.subs.get(ctx.platform, ctx.chatId).catch(() => undefined), ctx);
    if (stopped !== undefined) lines.push([stopped]);
    return reply(lines);
  },
});

export const CHAT_COMMANDS: readonly ChatCommand[] = [
  startCommand,
  helpCommand,
  ratioCommand,
  chartCommand,
  powerCommand,
  levelsCommand,
  historyCommand,
  statusCommand,
  subscribeCommand,
  unsubscribeCommand,
  mylevelsCommand,
  muteCommand,
  unmuteCommand,
  langCommand,
  digestCommand,
  quietCommand,
  moveCommand,
];

/**
 * `/help digest` (or `/help /digest`, `/help 摘要`, a typo), as `name` is the command among this
 * platform's: one command, its usage line as the platform takes it and what each of its arguments is.
 */
function commandHelp(lang: Lang, ctx: ChatContext, name: string): Reply {
  const platform = ctx.platform;
  const c = commandsOn(platform).find((x) => x.name === name)!;
  const lines: Line[] = [[{ code: usageLine(c.name, c.args, lang, platform) }], [c.describe(lang, ctx)]];
  for (const a of argsOn(c.args, platform))
    lines.push([{ bold: shownArg(lang, a) }, `${t(lang, 'chat.help.argSep')}${platformText(lang, `chat.arg.${c.name}.${a.name}`, ctx)}`]);
  // What a command's words mean beyond its arguments' lines (`/help chart`: 去年 is the calendar year), where the catalogue says it.
  const noteKey = `chat.help.note.${c.name}`;
  const note = t(lang, noteKey);
  if (note !== noteKey) lines.push([{ italic: note }]);
  // A command this place does not offer (a Discord user install's DM: /help subscribe): said, as the list says it.
  if (ctx.commands !== undefined && !ctx.commands.has(c.name)) lines.push([{ italic: t(lang, 'chat.help.readOnly') }]);
  else if (c.changesSettings && GROUP_PLATFORMS.has(platform)) lines.push([{ italic: platformText(lang, 'chat.help.groups', platform) }]);
  return reply(lines);
}

/** The commands a platform offers. */
export function commandsOn(platform: Platform): ChatCommand[] {
  return CHAT_COMMANDS.filter((c) => c.platforms === undefined || c.platforms.includes(platform));
}

export function findCommand(name: string): ChatCommand | undefined {
  return CHAT_COMMANDS.find((c) => c.name === name.toLowerCase());
}
