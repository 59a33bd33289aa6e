/**
 * A receiver that closes a kept-alive connection just as goldratio writes the next POST on it (nginx,
 * a load balancer: their idle timeout, unannounced). Played here without a race: the receiver
 * answers one request per connection and drops the connection when another arrives on it, unread.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { post } from '../../../src/platforms/webhook/post.ts';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { hookWorld, type HookWorld } from '../../helpers/webhook-world.ts';

let w: HookWorld;
let server: Server;
const sockets = new Set<Socket>();
/** Each request as it arrived: its connection's number and the delivery id; `dropped` when the connection was closed on it. */
const seen: { conn: number; delivery: string; dropped: boolean; webhookId?: string }[] = [];
/** On: every request after the receiver's first is read whole and answered by a reset (a proxy or process that fails after reading). */
let resetAfterFirst = false;

beforeEach(async () => {
  w = await hookWorld();
  seen.length = 0;
  resetAfterFirst = false;
  let conns = 0;
  let total = 0;
  server = createServer((sock) => {
    const conn = ++conns;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let answered = 0;
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        buf = buf.subarray(end + 4 + length);
        const delivery = /x-goldratio-delivery: *(\S+)/i.exec(head)?.[1] ?? '';
        if (resetAfterFirst && total > 0) {
          // Read whole, then reset: the receiver may have acted on it.
          seen.push({ conn, delivery, dropped: true, webhookId: /webhook-id: *(\S+)/i.exec(head)?.[1] ?? '' });
          sock.resetAndDestroy();
          return;
        }
        if (answered > 0) {
          // Its idle timeout came as this request was on its way: closed, the request never read.
          seen.push({ conn, delivery, dropped: true });
          sock.destroy();
          return;
        }
        answered++;
        total++;
        seen.push({ conn, delivery, dropped: false });
        // Kept alive, with no Keep-Alive header saying for how long (nginx's way).
        sock.write('HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
});
afterEach(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
  await w.close();
});

describe('a receiver that closes a kept-alive connection as the next POST is written on it', () => {
  test('GIVEN two alerts, the second POST meeting the closed connection THEN it goes again on a new one at once: both delivered once, no failure counted, no retry', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/idle`;
    const added = await w.cli('webhook', 'add', url);
    expect(added.code, added.stderr).toBe(0);
    const id = /added webhook (wh_[0-9a-f]+)/.exec(added.stdout)![1]!;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    const d = w.dispatcher(w.notifier(), 60_000);
    expect(await d.drain()).toMatchObject({ sent: 2, retried: 0 });
    const taken = seen.filter((s) => !s.dropped);
    expect(taken.map((s) => s.delivery)).toEqual([`1.${id}`, `2.${id}`]);
    // The second went on the first connection, was dropped there unread, and came again on another.
    expect(seen.filter((s) => s.dropped)).toEqual([{ conn: taken[0]!.conn, delivery: `2.${id}`, dropped: true }]);
    expect(taken[1]!.conn).not.toBe(taken[0]!.conn);
    expect(await w.hooks.get(id)).toMatchObject({ failures: 0, lastStatus: 204, lastError: null });
  });
});

describe('several kept-alive connections, all closed as the next POST is written on one', () => {
  test('GIVEN three idle connections left by a broadcast, each dropped when a second request comes on it THEN the next POST goes once more, on a new connection, and is answered: two copies at most, never one per idle connection', async () => {
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/idle`);
    const send = (delivery: string) => post(url, '{}', { 'content-type': 'application/json', 'x-goldratio-delivery': delivery }, 10_000);
    // Three at once: three connections, each answered once and kept idle in the pool.
    const warm = await Promise.all(['w1', 'w2', 'w3'].map(send));
    expect(warm.map((a) => a.status)).toEqual([204, 204, 204]);
    expect(new Set(seen.map((s) => s.conn)).size).toBe(3);
    const answer = await send('next');
    expect(answer.status).toBe(204);
    const copies = seen.filter((s) => s.delivery === 'next');
    // Dropped on one idle connection, then taken on a new one (not on the pool's other two).
    expect(copies.map((c) => c.dropped)).toEqual([true, false]);
    expect(copies[1]!.conn).toBeGreaterThan(3);
  });
});

describe('a receiver that resets each connection after reading the POST on it', () => {
  test('GIVEN a POST read and reset on a kept-alive connection THEN it goes once more on a new one, read and reset again: two copies of that try at most, with one webhook-id, then a failure retried later', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/reads-then-resets`;
    const added = await w.cli('webhook', 'add', url);
    expect(added.code, added.stderr).toBe(0);
    const id = /added webhook (wh_[0-9a-f]+)/.exec(added.stdout)![1]!;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    resetAfterFirst = true;
    const d = w.dispatcher(w.notifier(), 60_000);
    expect(await d.drain()).toMatchObject({ sent: 1, retried: 1 });
    const copies = seen.filter((s) => s.delivery === `2.${id}`);
    // No client can tell this reset from a stale connection's: resent once, on a connection of its
    // own, and not again: the json hook's receiver drops the repeat by its webhook-id (docs/webhook.md).
    expect(copies.map((c) => c.dropped)).toEqual([true, true]);
    expect(copies[1]!.conn).not.toBe(copies[0]!.conn);
    expect(new Set(copies.map((c) => c.webhookId))).toEqual(new Set([`2.${id}`]));
    expect(await w.hooks.get(id)).toMatchObject({ failures: 1 });
  });
});
