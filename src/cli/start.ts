/** `goldratio start` (what `npm start` runs): the bot, its scheduler and alerts, until SIGINT/SIGTERM. */
import type { Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { parseCli } from './args.ts';
import { StoppedBeforeStart, startApp } from '../main.ts';

export const startCommand: Command = {
  ...CLI_SPECS.start,
  database: 'write',
  // On PostgreSQL this is one replica among several (src/leadership.ts).
  async run(args, ctx) {
    parseCli(args, {});
    let app: Awaited<ReturnType<typeof startApp>>;
    try {
      app = await startApp(ctx.config, ctx.log, { signal: ctx.signal });
    } catch (e) {
      if (!(e instanceof StoppedBeforeStart)) throw e;
      // Stopped while it waited for PostgreSQL: nothing had started, so nothing to stop.
      const reason: unknown = ctx.signal.reason;
      ctx.log.info(`${typeof reason === 'string' ? reason : 'signal'} received while waiting for PostgreSQL: stopped`);
      return 0;
    }
    if (!ctx.signal.aborted) await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    // The reason is the signal's name (cli.ts); with the last line, "stopped", what an operator reads.
    const reason: unknown = ctx.signal.reason;
    ctx.log.info(`${typeof reason === 'string' ? reason : 'signal'} received: stopping`);
    await app.stop();
    return 0;
  },
};
