/**
 * A PostgreSQL server with no connection left: it answers every connection's startup as a server
 * at max_connections does (FATAL 53300 "sorry, too many clients already"). Filling the shared test
 * server's slots would starve the other tests; this speaks only the few bytes of that answer.
 */
import { createServer, type Socket } from 'node:net';

/** The ErrorResponse message: 'E', its length, then code-tagged NUL-ended fields, and a NUL. */
export function errorResponse(fields: Record<string, string>): Buffer {
  const body = Buffer.concat([...Object.entries(fields).map(([k, v]) => Buffer.from(`${k}${v}\0`)), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export async function pgFull(message = 'sorry, too many clients already'): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    // The startup message (or an SSLRequest, answered "no SSL" as a server without it does).
    s.on('data', (d) => {
      if (d.length === 8 && d.readInt32BE(4) === 80877103) {
        s.write('N');
        return;
      }
      s.end(errorResponse({ S: 'FATAL', V: 'FATAL', C: '53300', M: message }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `postgres://goldratio:pw@127.0.0.1:${(server.address() as { port: number }).port}/goldratio`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
