/**
 * Long polling with grammY's runner, and what the runner leaves to its caller. Its own reporting
 * is a console.error of the whole error on every failed getUpdates; here it is silent, and the
 * log says each trouble once, in one line, and once more when updates flow again.
 *
 * A 409 Conflict means another process polls the same token (Telegram ends one of the two
 * getUpdates). The runner gives up on it; this one waits and polls again, so when the other
 * process goes, this one takes over without a restart.
 */
import { GrammyError, type Bot } from 'grammy';
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Logger } from '../../log.ts';

export const CONFLICT_RETRY_MS = 30_000;

export interface Polling {
  stop(): Promise<void>;
  receiving(): boolean;
  /** Why polling ended for good while running (a revoked token), for /readyz; undefined while it runs. */
  stoppedBy(): string | undefined;
}

/**
 * Why the runner gave up, as one line naming what to do: a 401 or 404 on getUpdates is the token
 * revoked (or the bot deleted) in @BotFather while goldratio ran, which no retry fixes.
 */
function whyStopped(err: unknown): string {
  if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
    return `the Telegram token was refused (${err.error_code} ${err.description}): revoked or the bot deleted in @BotFather? Set TELEGRAM_BOT_TOKEN and restart goldratio`;
  }
  return `${err instanceof Error ? err.message : String(err)}; restart goldratio to receive updates again`;
}

export function startPolling(
  bot: Bot,
  log: Logger,
  opts: {
    readonly allowedUpdates: readonly string[];
    readonly conflictRetryMs?: number;
    /** Called the moment polling ends for good (stoppedBy says why). */
    readonly onStopped?: () => void;
  },
): Polling {
  const retryMs = opts.conflictRetryMs ?? CONFLICT_RETRY_MS;
  let runner: RunnerHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let trouble: 'conflict' | 'failing' | undefined;
  let stoppedBy: string | undefined;
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    try {
      const r = await prev(method, payload, signal);
      if (r.ok) {
        if (trouble !== undefined) log.info('long polling receives updates again');
        trouble = undefined;
      } else if (r.error_code === 409 && trouble !== 'conflict') {
        trouble = 'conflict';
        log.warn(
          `another process polls this bot token (Telegram: 409 ${r.description}); polling again every ${Math.round(retryMs / 1000)} s. Run one goldratio per token.`,
        );
      }
      return r;
    } catch (e) {
      if (!stopped && !signal?.aborted && trouble === undefined) {
        trouble = 'failing';
        log.warn(`getUpdates failed, retrying with backoff: ${e instanceof Error ? e.message : String(e)}`);
      }
      throw e;
    }
  });
  const begin = () => {
    timer = undefined;
    if (stopped) return;
    const r = run(bot, { runner: { fetch: { allowed_updates: [...opts.allowedUpdates] as never }, silent: true } });
    runner = r;
    r.task()?.catch((err: unknown) => {
      if (stopped) return;
      if (err instanceof GrammyError && err.error_code === 409) {
        timer = setTimeout(begin, retryMs);
        return;
      }
      stoppedBy = `long polling stopped: ${whyStopped(err)}`;
      log.error(stoppedBy);
      opts.onStopped?.();
    });
  };
  begin();
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      if (runner?.isRunning() === true) await runner.stop();
      await runner?.task()?.catch(() => undefined);
    },
    receiving: () => runner?.isRunning() === true,
    stoppedBy: () => stoppedBy,
  };
}
