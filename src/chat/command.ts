/** The shape of one platform-neutral chat command. */
import type { Lang } from '../domain/i18n/index.ts';
import type { ChatContext, ChatDeps } from './context.ts';
import type { Reply } from './reply.ts';

export interface ChatCommand {
  /** 'ratio': the platform adds its own prefix (`/ratio`). */
  readonly name: string;
  /** Needs an admin in groups/channels; the command itself asks ctx.isAdmin() before writing. */
  readonly changesSettings: boolean;
  /** One-line description for the command menu (Telegram setMyCommands). */
  describe(lang: Lang): string;
  run(deps: ChatDeps, ctx: ChatContext, args: readonly string[]): Promise<Reply>;
}
