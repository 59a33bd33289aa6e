/** A TCP proxy in front of the test PostgreSQL, for the tests of a server that goes away and comes back. */
import { connect, createServer, type Socket } from 'node:net';
import { errorResponse } from './pg-full.ts';

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
 * sends after, until `release()`: `seen` resolves once it is held (a slow network at that moment);
 * with `{ every: true }`, every connection's from then on, not only the first's: a query that any
 * part of the app may send on any pooled connection meanwhile (the scheduler's, a probe's) is held
 * whichever sends it first, so the one under test cannot slip through on another connection.
 * `holdAnswer(text)` lets that message through, so the server runs it at once, and keeps back what
 * the server says on that connection from then on until `release()`: a query that has run, whose
 * answer is still on its way (the client acts on what the database was, not what it is now).
 * `stall()` keeps back everything every client sends from then on, on the connections open and
 * on new ones (accepted, never answered), until its `release()`: the whole server behind a silent
 * network. `refuse(text)` answers each new connection whose startup message carries `text` (an
 * application_name) as a server at its connection limit does, FATAL 53300 "sorry, too many clients
 * already", and closes it, until its `stop()`: one kind of session refused, the others let through
 * (a limit or a pooler that takes one program's session and not another's). `queries` is every
 * statement the clients sent through it, in order (the text of each simple Query and each Parse):
 * how a test counts what a request cost the database. `forget()` is a server restarted while the
 * network lost its goodbyes (a NAT's or a load balancer's state gone, the server's host rebooted):
 * each open connection's server side ends quietly, the client's stays open hearing nothing until it
 * sends, and is then reset (RST), as a kernel answers a connection it does not know; `resets` counts
 * those; connections made from then on go through. `forgetWhenIdle()` is that restart at a moment no
 * query is on its way (each connection's every Query and Sync answered by ReadyForQuery): a query
 * sent before the restart would otherwise wait out its deadline (30 s) unanswered, which is the
 * silent server's case (tests/store/pg-silent.test.ts), not this one.
 */
export async function pgProxy(url: string): Promise<{
  url: string;
  cut(): void;
  restore(): void;
  outage(ms: number): Promise<void>;
  silence(n: number): void;
  silenceAll(): void;
  speak(): void;
  hold(text: string, o?: { readonly every?: boolean }): { seen: Promise<void>; release(): void };
  holdAnswer(text: string): { seen: Promise<void>; release(): void };
  stall(): { release(): void };
  refuse(text: string): { readonly times: number; stop(): void };
  forget(): void;
  forgetWhenIdle(): Promise<void>;
  readonly resets: number;
  readonly queries: readonly string[];
  close(): Promise<void>;
}> {
  const target = new URL(url);
  let open = true;
  const sockets = new Set<Socket>();
  const made: { client: Socket; upstream: Socket; waiting: number }[] = [];
  const queries: string[] = [];
  /** While stalled: what each connection sent, kept back, in order. */
  let stalled: { upstream: Socket; chunk: Buffer }[] | undefined;
  /** What `hold` waits for, and once seen, the connection held and the bytes kept back from it. */
  let holding: { text: string; every: boolean; seen: () => void; on: Set<Socket>; kept: { upstream: Socket; chunk: Buffer }[] } | undefined;
  /** What `holdAnswer` waits for, and once seen, the connection whose answers are kept back. */
  let answering: { text: string; seen: () => void; on?: { client: Socket; upstream: Socket } | undefined; kept: Buffer[] } | undefined;
  let quiet = false;
  /** Connections reset after forget(): each sent something to a server that no longer knew it. */
  let resets = 0;
  /** What `refuse` turns away, and how many connections it has. */
  let refusing: { text: string; times: number } | undefined;
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
    const conn = { client, upstream, waiting: 0 };
    made.push(conn);
    upstream.pipe(client);
    // What the server has yet to answer with ReadyForQuery: the startup, each Query and each Sync.
    const read = statements(
      (q) => queries.push(q),
      () => conn.waiting++,
    );
    upstream.on(
      'data',
      readyCounter(() => conn.waiting--),
    );
    /** Before the StartupMessage (an SSLRequest may come first): what `refuse` reads. */
    let starting = true;
    client.on('data', (chunk: Buffer) => {
      if (starting) {
        // 80877103: SSLRequest, 80877104: GSSENCRequest; the StartupMessage follows.
        const code = chunk.length >= 8 ? chunk.readInt32BE(4) : 0;
        starting = code === 80877103 || code === 80877104;
        const r = refusing;
        if (!starting && r !== undefined && chunk.includes(r.text)) {
          r.times++;
          // The server's side goes quietly (its close would cut the client's before the answer is out).
          upstream.unpipe(client);
          upstream.removeAllListeners('close');
          upstream.removeAllListeners('error');
          upstream.on('error', () => {});
          upstream.destroy();
          sockets.delete(upstream);
          client.end(errorResponse({ S: 'FATAL', V: 'FATAL', C: '53300', M: 'sorry, too many clients already' }));
          return;
        }
      }
      read(chunk);
      if (stalled !== undefined) {
        stalled.push({ upstream, chunk });
        return;
      }
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
      if (h !== undefined && (h.every || h.on.size === 0) && !h.on.has(upstream) && chunk.includes(h.text)) {
        h.on.add(upstream);
        h.seen();
      }
      if (h?.on.has(upstream) === true) {
        h.kept.push({ upstream, chunk });
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
  const forget = () => {
    for (const c of made) {
      if (c.client.destroyed) continue;
      c.upstream.unpipe(c.client);
      c.upstream.removeAllListeners('close');
      c.upstream.removeAllListeners('error');
      c.upstream.on('error', () => {});
      c.upstream.destroy();
      c.client.removeAllListeners('data');
      c.client.on('data', () => {
        resets++;
        c.client.resetAndDestroy();
      });
    }
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
    hold(text, o = {}) {
      let seen!: () => void;
      const p = new Promise<void>((r) => {
        seen = r;
      });
      const h: NonNullable<typeof holding> = { text, every: o.every === true, seen, on: new Set(), kept: [] };
      holding = h;
      return {
        seen: p,
        release() {
          if (holding === h) holding = undefined;
          for (const { upstream, chunk } of h.kept.splice(0)) if (!upstream.destroyed) upstream.write(chunk);
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
    stall() {
      const kept: NonNullable<typeof stalled> = [];
      stalled = kept;
      return {
        release() {
          if (stalled === kept) stalled = undefined;
          for (const { upstream, chunk } of kept.splice(0)) if (!upstream.destroyed) upstream.write(chunk);
        },
      };
    },
    refuse(text) {
      const r = { text, times: 0 };
      refusing = r;
      return {
        get times() {
          return r.times;
        },
        stop() {
          if (refusing === r) refusing = undefined;
        },
      };
    },
    async forgetWhenIdle() {
      for (const t0 = Date.now(); made.some((c) => !c.client.destroyed && c.waiting > 0); ) {
        if (Date.now() - t0 > 10_000) throw new Error('pgProxy: a query was still unanswered after 10 s');
        await new Promise((r) => setTimeout(r, 2));
      }
      forget();
    },
    forget,
    get resets() {
      return resets;
    },
    queries,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/**
 * Reads one connection's client-to-server stream as PostgreSQL's frontend messages and hands on the
 * statement of each simple Query ('Q') and each Parse ('P'). The startup messages (an SSLRequest,
 * then the StartupMessage) have no type byte; every message after them has one, then its length.
 */
function statements(found: (text: string) => void, asked: () => void = () => {}): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  let started = false;
  const cstring = (b: Buffer, at: number) => {
    const end = b.indexOf(0, at);
    return { text: b.toString('utf8', at, end), next: end + 1 };
  };
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (!started) {
        if (buffered.length < 8) return;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) return;
        // 80877103: SSLRequest, 80877104: GSSENCRequest; a StartupMessage follows either.
        const code = buffered.readInt32BE(4);
        started = code !== 80877103 && code !== 80877104;
        if (started) asked();
        buffered = buffered.subarray(length);
        continue;
      }
      if (buffered.length < 5) return;
      const length = buffered.readInt32BE(1);
      if (buffered.length < 1 + length) return;
      const type = String.fromCharCode(buffered[0]!);
      const body = buffered.subarray(5, 1 + length);
      if (type === 'Q') found(cstring(body, 0).text);
      else if (type === 'P') found(cstring(body, cstring(body, 0).next).text);
      if (type === 'Q' || type === 'S') asked();
      buffered = buffered.subarray(1 + length);
    }
  };
}

/**
 * Reads one connection's server-to-client stream as PostgreSQL's backend messages and tells each
 * ReadyForQuery ('Z'). An answer to an SSLRequest ('N' or 'S', one byte, no length) may come first.
 */
function readyCounter(ready: () => void): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  let first = true;
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (first && buffered.length > 0) {
      first = false;
      const b = String.fromCharCode(buffered[0]!);
      // A lone 'N' (or 'S') is the SSL answer: a message of type N (a notice) or S would not start a session.
      if (b === 'N' || b === 'S') buffered = buffered.subarray(1);
    }
    for (;;) {
      if (buffered.length < 5) return;
      const length = buffered.readInt32BE(1);
      if (buffered.length < 1 + length) return;
      if (buffered[0] === 0x5a) ready();
      buffered = buffered.subarray(1 + length);
    }
  };
}
