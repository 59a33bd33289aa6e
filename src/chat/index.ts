/**
 * The chat layer's contract for a platform adapter that takes commands: everything an adapter
 * needs, in one import. An adapter builds a ChatContext, asks for an Answer, and renders it; it
 * decides nothing about what a command means.
 */
export { actionPostsHere } from './buttons.ts';
export {
  answerButton,
  answerCommand,
  answerText,
  apology,
  chatMoved,
  chatRemoved,
  floodGate,
  floodStill,
  mayPostAgain,
  withChart,
  NOTICE_MAX,
  type Answer,
  type Asker,
} from './answer.ts';
export { FloodLimiter } from './flood-limit.ts';
export { commandAtStart, commandCalled, commandNamed, commandWords, triedAmong } from './command-words.ts';
export { halfWidth } from '../domain/han-fold.ts';
export { CHAT_COMMANDS, commandsOn, findCommand, chatLang } from './registry.ts';
export { withChatLang } from './context.ts';
export type { ChatCommand, CommandDefinition } from './define-command.ts';
export type { ChatContext, ChatDeps } from './context.ts';
export { parseArgs, parseWords, targetArg, usageLine, type ArgSpec, type ArgKind, type ArgValues, type ParsedArgs } from './args.ts';
export { parseChartTarget, visibleText } from './parse.ts';
export { plainText, linesText, replyLines, spanText, type Reply, type ReplyField, type Line, type Span, type Button } from './reply.ts';
export { clipText, splitLines, splitText, lineLength, type SplitLimits } from './split.ts';
export { messageLines, messageReply } from './message-lines.ts';
export { withChartCard } from './chart-card.ts';
export { askedCharts } from './commands/market.ts';
