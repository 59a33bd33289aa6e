/**
 * A local HTTP endpoint that plays a chat platform for the dispatcher's crash test: every POST
 * /send is recorded (as soon as it arrives, like a real platform that delivered the message even
 * if the sender dies before reading the answer), then answered after `delayMs`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  readonly chatId: string;
  readonly messageKey: string;
  readonly text: string;
}

export interface NotifierServer {
  readonly url: string;
  readonly deliveries: Delivery[];
  /** Called after each recorded delivery with the running count. */
  onDelivery: ((count: number) => void) | undefined;
  close(): Promise<void>;
}

export async function startNotifierServer(opts: { delayMs?: number } = {}): Promise<NotifierServer> {
  const deliveries: Delivery[] = [];
  const state: { onDelivery: ((count: number) => void) | undefined } = { onDelivery: undefined };
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/send') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"ok":false,"error":"not found"}');
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      let d: Delivery;
      try {
        d = JSON.parse(body) as Delivery;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"ok":false,"error":"bad json"}');
        return;
      }
      deliveries.push({ chatId: String(d.chatId), messageKey: String(d.messageKey), text: String(d.text) });
      state.onDelivery?.(deliveries.length);
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (opts.delayMs === undefined) answer();
      else setTimeout(answer, opts.delayMs);
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    get onDelivery() {
      return state.onDelivery;
    },
    set onDelivery(f) {
      state.onDelivery = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
