/** A TCP proxy in front of the test PostgreSQL, for the tests of a server that goes away and comes back. */
import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL: `cut()` drops every connection and refuses new ones (the
 * server gone, as a replica sees it), `restore()` lets them through again; `outage(ms)` cuts now and
 * restores `ms` later, resolving once it has (a server that goes away and comes back). `silence(n)` ends the
 * n-th connection (from 0, in the order they were made) on the server's side only: the server ends
 * its session, while the client's socket stays open and hears nothing more (a network that lost the
 * goodbye), so the client learns of it only when a query goes unanswered. `silenceAll()` does that to
 * every open connection, and accepts new ones but forwards nothing on them (a network gone silent:
 * a failover that moved the server's address, a partition), until `speak()`: connections made from
 * then on are forwarded again, those made before stay silent. `hold(text)` keeps
 * back the next message a client sends that carries `text` (a query on the wire), and all it
 * sends after, until `release()`: `seen` resolves once it is held (a slow network at that moment).
 * `holdAnswer(text)` lets that message through, so the server runs it at once, and keeps back what
 * the server says on that connection from then on until `release()`: a query that has run, whose
 * answer is still on its way (the client acts on what the database was, not what it is now).
 */
export async function pgProxy(url: string): Promise<{
  url: string;
  cut(): void;
  restore(): void;
  outage(ms: number): Promise<void>;
  silence(n: number): void;
  silenceAll(): void;
  speak(): void;
  hold(text: string): { seen: Promise<void>; release(): void };
  holdAnswer(text: string): { seen: Promise<void>; release(): void };
  close(): Promise<void>;
}> {
  const target = new URL(url);
  let open = true;
  const sockets = new Set<Socket>();
  const made: { client: Socket; upstream: Socket }[] = [];
  /** What `hold` waits for, and once seen, the connection held and the bytes kept back from it. */
  let holding: { text: string; seen: () => void; on?: Socket; kept: Buffer[] } | undefined;
  /** What `holdAnswer` waits for, and once seen, the connection whose answers are kept back. */
  let answering: { text: string; seen: () => void; on?: { client: Socket; upstream: Socket } | undefined; kept: Buffer[] } | undefined;
  let quiet = false;
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    if (quiet) {
      // Accepted, as the kernel of a silent peer's address would not be there to refuse it: nothing ever answers.
      sockets.add(client);
      client.on('data', () => {});
      client.on('error', () => client.destroy());
      client.on('close', () => sockets.delete(client));
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
    made.push({ client, upstream });
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      const a = answering;
      if (a !== undefined && a.on === undefined && chunk.includes(a.text)) {
        a.on = { client, upstream };
        upstream.unpipe(client);
        upstream.on('data', (answer: Buffer) => {
          if (a.on !== undefined) a.kept.push(answer);
        });
        a.seen();
      }
      const h = holding;
      if (h !== undefined && h.on === undefined && chunk.includes(h.text)) {
        h.on = upstream;
        h.seen();
      }
      if (h?.on === upstream) {
        h.kept.push(chunk);
        return;
      }
      if (upstream.destroyed) return;
      upstream.write(chunk);
    });
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const via = new URL(url);
  via.host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  const cut = () => {
    open = false;
    for (const s of sockets) s.destroy();
  };
  const restore = () => {
    open = true;
  };
  /** The server's side of connection `c` ended; the client's stays open and hears nothing more. */
  const silenced = (c: { client: Socket; upstream: Socket }) => {
    c.upstream.unpipe(c.client);
    c.upstream.removeAllListeners('close');
    c.upstream.removeAllListeners('error');
    c.upstream.on('error', () => {});
    c.upstream.destroy();
    c.client.on('data', () => {});
  };
  return {
    url: via.toString(),
    cut,
    restore,
    outage: (ms) =>
      new Promise<void>((r) => {
        cut();
        setTimeout(() => {
          restore();
          r();
        }, ms);
      }),
    silence(n) {
      const c = made[n];
      if (c === undefined) throw new Error(`pgProxy: no connection ${n} (${made.length} made)`);
      silenced(c);
    },
    silenceAll() {
      quiet = true;
      for (const c of made) if (!c.client.destroyed) silenced(c);
    },
    speak() {
      quiet = false;
    },
    hold(text) {
      let seen!: () => void;
      const p = new Promise<void>((r) => {
        seen = r;
      });
      const h: NonNullable<typeof holding> = { text, seen, kept: [] };
      holding = h;
      return {
        seen: p,
        release() {
          if (holding === h) holding = undefined;
          for (const c of h.kept.splice(0)) if (h.on !== undefined && !h.on.destroyed) h.on.write(c);
        },
      };
    },
    holdAnswer(text) {
      let seen!: () => void;
      const p = new Promise<void>((r) => {
        seen = r;
      });
      const a: NonNullable<typeof answering> = { text, seen, kept: [] };
      answering = a;
      return {
        seen: p,
        release() {
          if (answering === a) answering = undefined;
          const on = a.on;
          if (on === undefined) return;
          a.on = undefined;
          if (on.client.destroyed) return;
          for (const c of a.kept.splice(0)) on.client.write(c);
          on.upstream.pipe(on.client);
        },
      };
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
