/**
 * A port on 127.0.0.1 that refuses connections (a server not up yet) and that no other process is
 * given meanwhile, for the tests of a start that waits for a server which comes up later.
 *
 * Picking a free port (listen on 0, close) and using it later is a race: between the close and the
 * use, the kernel may hand the port to any process that listens on port 0 or connects out (the
 * suite's other workers, other runs on the machine), and the "refused" server then answers. Here
 * the port is held, never let go until the test's server listens on it: an idle TCP connection
 * from 127.0.0.1:<port> (bound explicitly, so the kernel hands that port to no listen on 0 and no
 * outgoing connection while it exists) to a listener of our own. A connection to the port is
 * refused (nothing listens there), as a server not up yet refuses it; a server of the test may still
 * listen on it (Node binds with SO_REUSEADDR, and the holder does not listen), and the holder goes
 * once it does: `listen(server)` is the handover.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface HeldPort {
  readonly port: number;
  /** Listens `server` on the port, then lets the hold go. */
  listen(server: Server): Promise<void>;
  /** Lets the hold go (the test's end); safe to call twice. */
  release(): Promise<void>;
}

export async function heldPort(): Promise<HeldPort> {
  const accepted = new Set<Socket>();
  const anchor = createServer((s) => void accepted.add(s.on('error', () => {})));
  await new Promise<void>((r) => anchor.listen(0, '127.0.0.1', () => r()));
  const { port: anchorPort } = anchor.address() as { port: number };
  const holder = connect({ host: '127.0.0.1', port: anchorPort, localAddress: '127.0.0.1', localPort: 0 });
  await new Promise<void>((resolve, reject) => {
    holder.once('connect', resolve);
    holder.once('error', reject);
  });
  holder.on('error', () => {});
  const port = holder.localPort;
  if (port === undefined) throw new Error('held port: the holding connection has no local port');
  let released: Promise<void> | undefined;
  const release = () => {
    released ??= (async () => {
      holder.destroy();
      for (const s of accepted) s.destroy();
      await new Promise<void>((r) => anchor.close(() => r()));
    })();
    return released;
  };
  return {
    port,
    release,
    async listen(server) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      await release();
    },
  };
}
