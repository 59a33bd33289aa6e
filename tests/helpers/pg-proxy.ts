/** A TCP proxy in front of the test PostgreSQL, for the tests of a server that goes away and comes back. */
import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL: `cut()` drops every connection and refuses new ones (the
 * server gone, as a replica sees it), `restore()` lets them through again.
 */
export async function pgProxy(url: string): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const target = new URL(url);
  let open = true;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const via = new URL(url);
  via.host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: via.toString(),
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
