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
const seen: { conn: number; delivery: string; dropped: boolean }[] = [];

beforeEach(async () => {
  w = await hookWorld();
  seen.length = 0;
  let conns = 0;
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
        if (answered > 0) {
          // Its idle timeout came as this request was on its way: closed, the request never read.
          seen.push({ conn, delivery, dropped: true });
          sock.destroy();
          return;
        }
        answered++;
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
