/**
 * bench/inline.ts's fake Telegram, in a worker thread of its own (as bench/_burst-fake.ts): the
 * fake's parsing and answering must not share the bot's event loop. The bench asks inline queries
 * (`ask`) and gets back, per query, when its answerInlineQuery arrived, measured on this side.
 */
import { parentPort } from 'node:worker_threads';
import { FakeTelegram, type FakeUser } from '../tests/fakes/telegram.ts';

export type ToInlineFake =
  | { readonly type: 'ask'; readonly queries: readonly { query: string; user: FakeUser }[]; readonly uploads?: boolean }
  | { readonly type: 'close' };
export type FromInlineFake =
  | { readonly type: 'started'; readonly token: string; readonly apiRoot: string }
  | { readonly type: 'answered'; readonly latencyMs: number; readonly status: number; readonly types: readonly string[] }
  | { readonly type: 'uploads'; readonly count: number }
  | { readonly type: 'closed' };

const port = parentPort;
if (port === null) throw new Error('bench/_inline-fake.ts runs as a worker thread (bench/inline.ts starts it)');
const tg = await FakeTelegram.start();
const askedAt = new Map<string, number>();
void tg
  .waitFor(
    (c) => {
      const id = String(c.params.inline_query_id ?? '');
      const at = askedAt.get(id);
      if (c.method === 'answerInlineQuery' && at !== undefined) {
        askedAt.delete(id);
        const types = ((c.params.results as { type: string }[] | undefined) ?? []).map((r) => r.type);
        port.postMessage({ type: 'answered', latencyMs: c.at - at, status: c.status, types } satisfies FromInlineFake);
      }
      return false;
    },
    2 ** 31 - 1,
  )
  .catch(() => undefined);
port.on('message', (m: ToInlineFake) => {
  if (m.type === 'ask') {
    for (const { query, user } of m.queries) askedAt.set(tg.inlineQuery(query, user), Date.now());
  } else {
    void tg.close().then(() => {
      port.postMessage({ type: 'uploads', count: tg.uploads().length } satisfies FromInlineFake);
      port.postMessage({ type: 'closed' } satisfies FromInlineFake);
      port.close();
    });
  }
});
port.postMessage({ type: 'started', token: tg.token, apiRoot: tg.apiRoot } satisfies FromInlineFake);
