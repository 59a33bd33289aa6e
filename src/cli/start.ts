/** `goldratio start` (what `npm start` runs): the bot, its scheduler and alerts, until SIGINT/SIGTERM. */
import type { Command } from './command.ts';
import { parseCli } from './args.ts';
import { startApp } from '../main.ts';

export const startCommand: Command = {
  name: 'start',
  usage: 'start',
  summary: 'Run the bot: backfill if needed, then the scheduler, alerts and the chat bots (console alerts without tokens)',
  async run(args, ctx) {
    parseCli(args, {});
    const app = await startApp(ctx.config, ctx.log, { signal: ctx.signal });
    if (!ctx.signal.aborted) await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    ctx.log.info('signal received: shutting down');
    await app.stop();
    return 0;
  },
};
