/**
 * The multi-part crash test's child: drains the outbox through the real Telegram notifier to the
 * fake Bot API. With `kill`, the process SIGKILLs itself the moment grammY is about to call
 * sendMessage, i.e. after the photo (part 0) went out and before the text (part 1): a crash
 * exactly between two parts of one send.
 * Usage: node --import tsx part-crash-child.ts <db> <apiRoot> <token> [kill]
 */
import { Api } from 'grammy';
import { openDatabase } from '../../src/store/db.ts';
import { TelegramNotifier } from '../../src/platforms/telegram/notifier.ts';
import { memoryLogger } from '../../src/log.ts';
import type { ChartRenderer } from '../../src/domain/chart-request.ts';
import { drainOnce } from './drain-once.ts';

export const CHILD_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(512, 3)]);

/** The chart service is not under test here: a fixed PNG stands in for the drawn chart. */
export const CHILD_CHARTS: ChartRenderer = { render: async () => ({ png: CHILD_PNG, key: 'fixed', filename: 'chart.png' }) };

/** The child's notifier (the restart's too, without `kill`): the real one, on the fake's Bot API. */
export function partNotifier(apiRoot: string, token: string, kill: boolean): TelegramNotifier {
  const api = new Api(token, { apiRoot, timeoutSeconds: 10 });
  if (kill) {
    api.config.use((prev, method, payload, signal) => {
      if (method === 'sendMessage') process.kill(process.pid, 'SIGKILL');
      return prev(method, payload, signal);
    });
  }
  return new TelegramNotifier({ api, rate: 50, groupPerMinute: 20, paidBroadcast: false, log: memoryLogger() });
}

const [dbPath, apiRoot, token, kill] = process.argv.slice(2);
if (dbPath !== undefined && apiRoot !== undefined && token !== undefined) {
  await drainOnce(openDatabase(dbPath), partNotifier(apiRoot, token, kill === 'kill'), CHILD_CHARTS);
}
