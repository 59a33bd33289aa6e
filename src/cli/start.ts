/** `goldratio start` (what `npm start` runs): the bot, its scheduler and alerts, until SIGINT/SIGTERM. */
import type { Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { parseCli } from './args.ts';
import { StoppedBeforeStart, startApp } from '../main.ts';

/**
 * Waits `ms`, or until a second SIGINT or SIGTERM (cli.ts heard the first): Ctrl-C twice does not
 * wait. Past the wait the listeners go, so a signal during the stop itself ends the process as before.
 */
function secondSignalOr(ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

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
    const drainMs = ctx.config.stopDrainMs;
    if (drainMs > 0) {
      // Out of its Service before it stops answering: a Telegram webhook call or a Discord
      // interaction routed here while the load balancer has not yet heard is still answered.
      app.notReady();
      ctx.log.info(`not ready (/readyz 503), still serving for ${drainMs / 1000} s (STOP_DRAIN_SECONDS); a second signal stops now`);
      await secondSignalOr(drainMs);
    }
    // Past STOP_TIMEOUT_SECONDS what is left (said in the stop's one line) must not keep the process.
    const { left } = await app.stopped();
    if (left.length > 0) ctx.leave?.();
    return 0;
  },
};
