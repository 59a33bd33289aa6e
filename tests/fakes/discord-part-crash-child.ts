/**
 * The Discord multi-part crash test's child: drains the outbox through the real Discord notifier
 * (@discordjs/rest) to the fake. With `kill`, the process SIGKILLs itself the moment the REST is
 * about to post the second message of a send, i.e. after part 0 went out (and was stored) and
 * before part 1: a crash exactly between two parts of one long message.
 * Usage: node <bundle> <db> <apiBase> <token> [kill]
 */
import { REST } from 'discord.js';
import { openDatabase } from '../../src/store/db.ts';
import { DiscordNotifier } from '../../src/platforms/discord/notifier.ts';
import { restOptions } from '../../src/platforms/discord/client.ts';
import { memoryLogger } from '../../src/log.ts';
import { drainOnce } from './drain-once.ts';

/** The child's notifier (the restart's too, without `kill`): the real one, its REST on the fake. */
export function partNotifier(apiBase: string, token: string, kill: boolean): DiscordNotifier {
  const options = restOptions({ apiBase, rate: 50, token: undefined, applicationId: undefined, alertRoleId: undefined });
  let posts = 0;
  const rest = new REST({
    ...options,
    retries: 1,
    makeRequest: (url, init) => {
      if (kill && init.method === 'POST' && /\/messages$/.test(url) && ++posts === 2) process.kill(process.pid, 'SIGKILL');
      return options.makeRequest(url, init);
    },
  }).setToken(token);
  return new DiscordNotifier({ rest, rate: 50, log: memoryLogger() });
}

const [dbPath, apiBase, token, kill] = process.argv.slice(2);
if (dbPath !== undefined && apiBase !== undefined && token !== undefined) {
  await drainOnce(openDatabase(dbPath), partNotifier(apiBase, token, kill === 'kill'));
}
