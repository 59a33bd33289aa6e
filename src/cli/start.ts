/** `goldratio start` (what `npm start` runs): the bot, its scheduler and alerts, until SIGINT/SIGTERM. */
import type { Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { parseCli } from './args.ts';
import { startApp } from '../main.ts';

export const startCommand: Command = {
  ...CLI_SPECS.start,
  database: 'write',
  // On PostgreSQL this is one replica among several (src/leadership.ts).
  async run(args, ctx) {
    parseCli(args, {});
    const app = await startApp(ctx.config, ctx.log, { signal: ctx.signal });
    if (!ctx.signal.aborted) await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    ctx.log.info('signal received: shutting down');
    await app.stop();
    return 0;
  },
};
