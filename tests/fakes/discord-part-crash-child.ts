/**
 * The Discord multi-part crash test's child: drains the outbox through the real Discord notifier
 * (@discordjs/rest) to the fake. With `kill`, the process SIGKILLs itself the moment the REST is
 * about to post the second message of a send, i.e. after part 0 went out (and was stored) and
 * before part 1: a crash exactly between two parts of one long message.
 * Usage: node <bundle> <db> <apiBase> <token> [kill]
 */
import { REST } from 'discord.js';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { DiscordNotifier } from '../../src/platforms/discord/notifier.ts';
import { restOptions } from '../../src/platforms/discord/client.ts';
import { memoryLogger } from '../../src/log.ts';

const [dbPath, apiBase, token, kill] = process.argv.slice(2);
if (dbPath !== undefined && apiBase !== undefined && token !== undefined) {
  const options = restOptions({ apiBase, rate: 50, token: undefined, applicationId: undefined, alertRoleId: undefined });
  let posts = 0;
  const rest = new REST({
    ...options,
    retries: 1,
    makeRequest: (url, init) => {
      if (kill === 'kill' && init.method === 'POST' && /\/messages$/.test(url) && ++posts === 2) process.kill(process.pid, 'SIGKILL');
      return options.makeRequest(url, init);
    },
  }).setToken(token);
  const db = openDatabase(dbPath);
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
  const notifier = new DiscordNotifier({ rest, rate: 50, log: memoryLogger() });
  const charts = {
    render: async (): Promise<never> => {
      throw new Error('a summary has no chart');
    },
  };
  const r = await new Dispatcher(new OutboxStore(onSqlite(db)), subs, { notifiers: [notifier], charts }).drain();
  process.stdout.write(`drained ${r.sent}\n`);
  db.close();
}
