/**
 * Every platform-neutral chat command, and the button handler. Platforms register CHAT_COMMANDS
 * (menu: `describe(lang)`), call `run` with the split arguments, and pass button presses to
 * `handleAction`; they only render the Reply.
 */
import { t } from '../domain/i18n/index.ts';
import type { ChatCommand } from './command.ts';
import { usage } from './common.ts';
import { chatLang, type ChatContext, type ChatDeps } from './context.ts';
import { chartReply, chartCommand, powerCommand, ratioCommand } from './commands/market.ts';
import { historyCommand, levelsCommand, statusCommand } from './commands/reference.ts';
import { digestAction, digestCommand } from './commands/digest.ts';
import { langCommand, muteCommand, unmuteCommand } from './commands/settings.ts';
import { mylevelsCommand, subscribeCommand, toggleAction, unsubscribeCommand } from './commands/subscription.ts';
import { parseChartTarget, parseRange } from './parse.ts';
import { errorReply, reply, type Line, type Reply } from './reply.ts';

export type { ChatCommand } from './command.ts';
export type { ChatContext, ChatDeps } from './context.ts';
export { chatLang } from './context.ts';

const startCommand: ChatCommand = {
  name: 'start',
  changesSettings: false,
  describe: (lang) => t(lang, 'chat.cmd.start'),
  async run(deps, ctx) {
    const lang = chatLang(deps, ctx);
    return reply([[{ bold: t(lang, 'chat.start.title') }], [t(lang, 'chat.start.body')], [t(lang, 'chat.start.more')]], {
      buttons: [
        [
          { label: t(lang, 'chat.button.subscribe'), action: 'cmd:subscribe' },
          { label: t(lang, 'chat.button.ratio'), action: 'cmd:ratio' },
        ],
      ],
    });
  },
};

const helpCommand: ChatCommand = {
  name: 'help',
  changesSettings: false,
  describe: (lang) => t(lang, 'chat.cmd.help'),
  async run(deps, ctx) {
    const lang = chatLang(deps, ctx);
    const lines: Line[] = [[{ bold: t(lang, 'chat.help.title') }]];
    for (const c of CHAT_COMMANDS) lines.push([{ code: t(lang, `chat.usage.${c.name}`) }, ` ${c.describe(lang)}`]);
    lines.push([{ italic: t(lang, 'chat.help.groups') }]);
    return reply(lines);
  },
};

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
];

export function findCommand(name: string): ChatCommand | undefined {
  return CHAT_COMMANDS.find((c) => c.name === name.toLowerCase());
}

/**
 * A button press. Actions: `cmd:<name>` (runs the command without arguments, a new message),
 * `chart:<spx-gold|qqq-gold|power>:<range>` and `sub:toggle:<levelId>` (both edit the pressed message).
 * A stale or forged action gets an error reply, never a throw.
 */
export async function handleAction(deps: ChatDeps, ctx: ChatContext, action: string): Promise<{ reply: Reply; edit: boolean }> {
  const lang = chatLang(deps, ctx);
  const [kind, a, b] = action.split(':');
  if (kind === 'cmd' && a !== undefined && b === undefined) {
    const command = findCommand(a);
    if (command) return { reply: await command.run(deps, ctx, []), edit: false };
  }
  if (kind === 'chart' && a !== undefined && b !== undefined) {
    const target = parseChartTarget(a);
    const range = parseRange(b);
    if (target.ok && range.ok) return { reply: chartReply(lang, target.value, range.value, ctx.nowMs), edit: true };
    return { reply: usage(lang, 'chart', !target.ok ? target.error : !range.ok ? range.error : undefined), edit: false };
  }
  if (kind === 'sub' && a === 'toggle' && b !== undefined) {
    const r = await toggleAction(deps, ctx, b);
    // Only a successful toggle redraws the keyboard; a refusal is a separate answer.
    return { reply: r, edit: r.status === 'ok' };
  }
  if (kind === 'digest' && a !== undefined && b !== undefined) return { reply: await digestAction(deps, ctx, a, action.slice(`digest:${a}:`.length)), edit: false };
  return { reply: errorReply(t(lang, 'chat.err.action')), edit: false };
}
