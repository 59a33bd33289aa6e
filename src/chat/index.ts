/**
 * The chat layer's contract for a platform adapter (Telegram today, Discord next): everything an
 * adapter needs, in one import. An adapter builds a ChatContext, asks for an Answer, and renders
 * it; it decides nothing about what a command means.
 */
export { answerButton, answerCommand, apology, chatMoved, chatRemoved, withChart, NOTICE_MAX, type Answer } from './answer.ts';
export { CHAT_COMMANDS, commandsOn, findCommand, chatLang } from './registry.ts';
export type { ChatCommand, CommandDefinition } from './define-command.ts';
export type { ChatContext, ChatDeps } from './context.ts';
export { parseArgs, parseWords, usageLine, type ArgSpec, type ArgKind, type ArgValues, type ParsedArgs } from './args.ts';
export {
  discordCommandDefinitions,
  discordCommandDefinition,
  localizations,
  AUTOCOMPLETE_KINDS,
  DISCORD_OPTION,
  MANAGE_CHANNELS,
  type DiscordCommandDefinition,
} from './discord-commands.ts';
export { plainText, linesText, spanText, type Reply, type Line, type Span, type Button } from './reply.ts';
export { splitLines, splitText, lineLength, type SplitLimits } from './split.ts';
export { messageLines } from './message-lines.ts';
export { askedCharts } from './commands/market.ts';
