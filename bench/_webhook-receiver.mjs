// bench/webhooks.ts's receiver, in a worker thread of its own so its parsing does not share the
// bot's event loop: 204 to /ok/*, 500 to /fail/*, no answer to /hang/*; counts requests and bytes, and checks that the
// first 100 carry a well-formed signature header.
import { createServer } from 'node:http';
import { parentPort } from 'node:worker_threads';

let received = 0;
let bytes = 0;
let badSignatures = 0;
const server = createServer((req, res) => {
  let n = 0;
  req.on('data', (c) => (n += c.length));
  req.on('end', () => {
    received++;
    bytes += n;
    if (received <= 100 && !/^sha256=[0-9a-f]{64}$/.test(String(req.headers['x-goldratio-signature-256']))) badSignatures++;
    // /hang/*: never answered (the sender's timeout ends it).
    if (req.url.startsWith('/hang/')) return;
    res.writeHead(req.url.startsWith('/fail/') ? 500 : 204).end();
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => parentPort.postMessage({ received, bytes, badSignatures }));
