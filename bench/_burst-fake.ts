/**
 * bench/burst.ts's fake Telegram, in a worker thread of its own: parsing the bot's requests and
 * uploads, and answering them, must not share the bot's event loop, or the figure measures the
 * fake too. The bench sends commands (`send`) and gets back, per chat, when its first answer
 * (sendMessage or sendPhoto, 200) arrived. Latency is taken here, on the fake's side of the wire.
 */
import { parentPort } from 'node:worker_threads';
import { FakeTelegram, type FakeUser } from '../tests/fakes/telegram.ts';

export type ToFake = { readonly type: 'send'; readonly messages: readonly { chatId: number; text: string; user: FakeUser }[] } | { readonly type: 'close' };
export type FromFake =
  | { readonly type: 'started'; readonly token: string; readonly apiRoot: string }
  | { readonly type: 'answered'; readonly chatId: number; readonly latencyMs: number }
  | { readonly type: 'closed' };

const port = parentPort;
if (port === null) throw new Error('bench/_burst-fake.ts runs as a worker thread (bench/burst.ts starts it)');
const tg = await FakeTelegram.start();
const sentAt = new Map<number, number>();
// Watches every call for a first answer to a waiting chat; never resolves (the bench closes it).
void tg
  .waitFor(
    (c) => {
      const chatId = Number(c.chatId);
      const at = sentAt.get(chatId);
      if (at !== undefined && (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.status === 200) {
        sentAt.delete(chatId);
        port.postMessage({ type: 'answered', chatId, latencyMs: c.at - at } satisfies FromFake);
      }
      return false;
    },
    2 ** 31 - 1,
  )
  .catch(() => undefined);
port.on('message', (m: ToFake) => {
  if (m.type === 'send') {
    for (const { chatId, text, user } of m.messages) {
      sentAt.set(chatId, Date.now());
      tg.textMessage(chatId, text, user);
    }
  } else {
    void tg.close().then(() => {
      port.postMessage({ type: 'closed' } satisfies FromFake);
      port.close();
    });
  }
});
port.postMessage({ type: 'started', token: tg.token, apiRoot: tg.apiRoot } satisfies FromFake);
