/**
 * bench/discord.ts's fake Discord, in a worker thread of its own (as bench/_burst-fake.ts): parsing
 * 500 requests a second and their JSON must not share the bot's event loop, as Discord's servers
 * do not. The bench asks for what arrived (`report`) once its drain is over.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FakeDiscord } from '../tests/fakes/discord.ts';

export interface DiscordFakeOptions {
  readonly rateLimit: number;
  readonly latencyMs: number;
}
export type ToDiscordFake = { readonly type: 'report' } | { readonly type: 'close' };
export type FromDiscordFake =
  | { readonly type: 'started'; readonly api: string; readonly token: string }
  | {
      readonly type: 'report';
      /** Each message sent (200), in arrival order: when, and how many files it carried. */
      readonly sends: readonly { readonly at: number; readonly files: number }[];
      readonly violations: number;
    }
  | { readonly type: 'closed' };

const port = parentPort;
if (port === null) throw new Error('bench/_discord-fake.ts runs as a worker thread (bench/discord.ts starts it)');
const fake = await FakeDiscord.start(workerData as DiscordFakeOptions);
port.on('message', (m: ToDiscordFake) => {
  if (m.type === 'report') {
    const sends = fake
      .calls('POST', /^\/channels\/\d+\/messages$/)
      .filter((r) => r.status === 200)
      .map((r) => ({ at: r.at, files: r.files.length }));
    port.postMessage({ type: 'report', sends, violations: fake.violations } satisfies FromDiscordFake);
  } else {
    void fake.close().then(() => {
      port.postMessage({ type: 'closed' } satisfies FromDiscordFake);
      port.close();
    });
  }
});
port.postMessage({ type: 'started', api: fake.api, token: fake.token } satisfies FromDiscordFake);
