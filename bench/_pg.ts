/** A PostgreSQL database made for one bench run (GOLDRATIO_BENCH_PG_URL: a server whose user may create a database). */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import type { Db } from '../src/store/db.ts';
import { copyToPostgres } from '../src/store/copy.ts';
import { openPostgres, type PgStore } from '../src/store/postgres.ts';

export const PG_URL = process.env.GOLDRATIO_BENCH_PG_URL || undefined;

/** One statement on the server's own database (CREATE/DROP DATABASE). */
export async function admin(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/**
 * A fresh database `goldratio_bench_<what>_<pid>` holding a copy of `source`; `drop` closes and
 * removes it. With `msEachWay`, the store returned reaches it through `farAway` (the copy is made
 * directly).
 */
export async function pgCopy(url: string, source: Db, what: string, opts: { msEachWay?: number } = {}): Promise<{ store: PgStore; drop: () => Promise<void> }> {
  const name = `goldratio_bench_${what}_${process.pid}`;
  await admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(url, `CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  let store = await openPostgres(u.toString(), { what: 'GOLDRATIO_BENCH_PG_URL' });
  await copyToPostgres(source, store);
  const far = opts.msEachWay === undefined ? undefined : await farAway(u.toString(), opts.msEachWay);
  if (far !== undefined) {
    await store.close();
    store = await openPostgres(far.url, { what: 'GOLDRATIO_BENCH_PG_URL' });
  }
  return {
    store,
    drop: async () => {
      await store.close();
      await far?.close();
      await admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * A TCP proxy in front of PostgreSQL that holds every chunk `msEachWay` in each direction: the
 * round trip of a database server on another machine (about 1-2 ms inside a cloud region), which
 * the local server here does not have. Returns the URL through it.
 */
export async function farAway(url: string, msEachWay: number): Promise<{ url: string; close: () => Promise<void> }> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const delayed = (from: Socket, to: Socket) =>
    from.on('data', (chunk) => {
      setTimeout(() => to.write(chunk), msEachWay);
    });
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        setTimeout(() => (s === client ? upstream : client).destroy(), msEachWay);
      });
    }
    delayed(client, upstream);
    delayed(upstream, client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const via = new URL(url);
  via.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: via.toString(),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
