/** The one upload-once rule both notifiers share (src/alerts/upload-once.ts), on its own. */
import { describe, expect, test } from 'vitest';
import { UploadOnce } from '../../src/alerts/upload-once.ts';

class ChatGone extends Error {}
const chart = (bytes: string) => ({ png: Buffer.from(bytes), filename: 'c.png' });

function harness() {
  const calls: string[] = [];
  const once = new UploadOnce<string>({ chatSpecific: (e) => e instanceof ChatGone, noHandle: 'no handle' });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const send = (chat: string, png = chart('A'), fail?: Error, handle: string | null = `h-${chat}`) =>
    once.send(
      'm1',
      png,
      async () => {
        calls.push(`upload ${chat}`);
        await gate;
        if (fail) throw fail;
        return handle ?? undefined;
      },
      async (h) => void calls.push(`reuse ${chat} ${h}`),
    );
  return { once, calls, release, send };
}

/** Sends chart A of message m1 to `chat`, logging each upload (handle `h-<chat>`) and reuse in `calls`; `then` sees each handle. */
const logged =
  (once: UploadOnce<string>, calls: string[], then: { uploaded?: (h: string) => void; reused?: (h: string) => void } = {}) =>
  (chat: string) =>
    once.send(
      'm1',
      chart('A'),
      async () => {
        calls.push(`upload ${chat}`);
        then.uploaded?.(`h-${chat}`);
        return `h-${chat}`;
      },
      async (h) => {
        calls.push(`reuse ${chat} ${h}`);
        then.reused?.(h);
      },
    );

describe('upload once, then reuse', () => {
  test('GIVEN three chats at once THEN one upload, the two waiters reuse its handle', async () => {
    const h = harness();
    const all = Promise.all([h.send('1'), h.send('2'), h.send('3')]);
    h.release();
    await all;
    expect(h.calls).toEqual(['upload 1', 'reuse 2 h-1', 'reuse 3 h-1']);
    expect(h.once.uploads).toBe(1);
  });

  test("GIVEN the uploader's chat is gone THEN the next waiter uploads itself and the rest reuse that", async () => {
    const h = harness();
    const first = h.send('1', chart('A'), new ChatGone('blocked'));
    const rest = Promise.all([h.send('2'), h.send('3')]);
    h.release();
    await expect(first).rejects.toBeInstanceOf(ChatGone);
    await rest;
    expect(h.calls).toEqual(['upload 1', 'upload 2', 'reuse 3 h-2']);
  });

  test('GIVEN a failure of the platform (429, network) THEN every waiter fails the same way without a call', async () => {
    const h = harness();
    const limited = new Error('429');
    const all = [h.send('1', chart('A'), limited), h.send('2'), h.send('3')].map((p) => p.catch((e: unknown) => e));
    h.release();
    expect(await Promise.all(all)).toEqual([limited, limited, limited]);
    expect(h.calls).toEqual(['upload 1']);
  });

  test('GIVEN another chart (another language) or an upload without a handle THEN it is uploaded again', async () => {
    const h = harness();
    h.release();
    await h.send('1', chart('A'));
    await h.send('2', chart('B'));
    await h.send('3', chart('B'));
    await h.send('4', chart('C'), undefined, null);
    await h.send('5', chart('C'));
    expect(h.calls).toEqual(['upload 1', 'upload 2', 'reuse 3 h-2', 'upload 4', 'upload 5']);
  });

  test('GIVEN a handle older than maxAgeMs (an expiring URL) THEN the next senders upload it again, once, and reuse the new one', async () => {
    let now = 0;
    const calls: string[] = [];
    const once = new UploadOnce<string>({ chatSpecific: () => false, noHandle: 'no handle', maxAgeMs: 1000, now: () => now });
    const send = logged(once, calls);
    await send('1');
    now = 1000;
    await send('2');
    now = 1001;
    await Promise.all([send('3'), send('4')]);
    await send('5');
    expect(calls).toEqual(['upload 1', 'reuse 2 h-1', 'upload 3', 'reuse 4 h-3', 'reuse 5 h-3']);
    expect(once.uploads).toBe(2);
  });

  test('GIVEN a handle the platform refuses (another bot’s file_id) THEN it is forgotten, uploaded again once, and the others reuse the new one; a second refusal is the send’s error', async () => {
    class Refused extends Error {}
    const calls: string[] = [];
    const forgotten: string[] = [];
    let good = new Set<string>();
    const shared = {
      begin: async () => (forgotten.length === 0 ? { ref: 'old-bot' } : { upload: true as const }),
      remember: async (_k: string, ref: string) => ref,
      abandon: async () => {},
      forget: async (_k: string, ref: string) => void forgotten.push(ref),
      peek: async () => undefined,
    };
    const once = new UploadOnce<string>({ chatSpecific: () => false, staleHandle: (e) => e instanceof Refused, noHandle: 'no handle', shared });
    const send = logged(once, calls, {
      uploaded: (h) => good.add(h),
      reused: (h) => {
        if (!good.has(h)) throw new Refused(h);
      },
    });
    await send('1');
    await Promise.all([send('2'), send('3')]);
    expect(calls).toEqual(['reuse 1 old-bot', 'upload 1', 'reuse 2 h-1', 'reuse 3 h-1']);
    expect(forgotten).toEqual(['old-bot']);
    // Refused later too (the bot changed again): forgotten again, and this send uploads.
    good = new Set();
    await send('4');
    expect(calls.slice(4)).toEqual(['reuse 4 h-1', 'upload 4']);
    expect(forgotten).toEqual(['old-bot', 'h-1']);
  });
});
