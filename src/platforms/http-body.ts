/**
 * A request body read whole, up to a cap: what the Telegram webhook and the Discord Interactions
 * Endpoint both need before parsing or verifying it. A declared length over the cap is refused
 * before anything is read; a body that grows past it stops being read. `tooLarge` makes the
 * platform's own refusal (its status is 413).
 */
import type { IncomingMessage } from 'node:http';

export function readCappedBody(req: IncomingMessage, max: number, tooLarge: (why: string) => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) return reject(tooLarge(`body of ${declared} bytes over the ${max}-byte cap`));
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        reject(tooLarge(`body over the ${max}-byte cap`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (size <= max) resolve(Buffer.concat(chunks));
    });
    req.once('error', reject);
  });
}
