/**
 * Discord's REST transport (src/platforms/discord/http-request.ts) on a real local HTTP server:
 * what @discordjs/rest and the budget read from a web Response (status, headers, a body read twice
 * through clone()), an answer without a body, an upload (FormData, through Node's fetch), a
 * request aborted by its signal, and a server that is not there.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discordRequest } from '../../../src/platforms/discord/http-request.ts';
import { heldPort } from '../../helpers/held-port.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('latin1') });
      if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url === '/limited') {
        res.writeHead(429, { 'content-type': 'application/json', 'x-ratelimit-global': 'true', 'set-cookie': ['a=1', 'b=2'] });
        res.end(JSON.stringify({ retry_after: 1.5, global: true }));
      } else if (req.url === '/slow') {
        // Never answers: the caller's signal ends it.
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: '42', echo: Buffer.concat(chunks).toString('utf8') }));
      }
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("Discord's REST transport", () => {
  test('GIVEN a JSON POST THEN the server gets the method, headers and body, and the answer reads as a Response', async () => {
    const res = await discordRequest(`${base}/channels/7/messages`, {
      method: 'POST',
      headers: { authorization: 'Bot t0ken', 'content-type': 'application/json' },
      body: JSON.stringify({ content: '標普500/黃金 2.5' }),
    });
    expect([res.status, res.ok, res.statusText]).toEqual([200, true, 'OK']);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ id: '42', echo: '{"content":"標普500/黃金 2.5"}' });
    const got = seen.at(-1)!;
    expect([got.method, got.url, got.headers.authorization]).toEqual(['POST', '/channels/7/messages', 'Bot t0ken']);
  });

  test('GIVEN a 429 THEN its status, every header (repeated ones too) and a body read twice, as the budget reads it', async () => {
    const res = await discordRequest(`${base}/limited`, { method: 'GET', headers: new Headers({ authorization: 'Bot t0ken' }) });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-ratelimit-global')).toBe('true');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.clone().json()).toEqual({ retry_after: 1.5, global: true });
    expect(await res.json()).toEqual({ retry_after: 1.5, global: true });
    expect(seen.at(-1)!.headers.authorization).toBe('Bot t0ken');
  });

  test('GIVEN 204 THEN a Response without a body', async () => {
    const res = await discordRequest(`${base}/empty`, { method: 'DELETE' });
    expect([res.status, res.body]).toEqual([204, null]);
  });

  test('GIVEN an upload (FormData) THEN it goes as multipart, the file intact', async () => {
    const form = new FormData();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    form.append('files[0]', new Blob([png], { type: 'image/png' }), 'chart.png');
    form.append('payload_json', JSON.stringify({ content: 'x' }));
    const res = await discordRequest(`${base}/channels/7/messages`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const got = seen.at(-1)!;
    expect(got.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(got.body).toContain('filename="chart.png"');
    expect(got.body).toContain(Buffer.from(png).toString('latin1'));
  });

  test('GIVEN the signal aborted while waiting THEN it rejects as an AbortError (what @discordjs/rest retries)', async () => {
    // As @discordjs/rest times a request out: its own controller, aborted.
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const e = await discordRequest(`${base}/slow`, { method: 'GET', signal: controller.signal }).catch((x: unknown) => x);
    expect((e as Error).name).toBe('AbortError');
  });

  test('GIVEN nothing listening THEN it rejects naming why (ECONNREFUSED), not "fetch failed"', async () => {
    // Held (nothing listens there, and no other process is given it meanwhile): refused for sure.
    const held = await heldPort();
    try {
      const e = await discordRequest(`http://127.0.0.1:${held.port}/x`, { method: 'GET' }).catch((x: unknown) => x);
      expect(String((e as Error).message)).toMatch(/ECONNREFUSED/);
    } finally {
      await held.release();
    }
  });
});
