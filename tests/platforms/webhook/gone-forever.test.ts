/**
 * A receiver that never comes back without saying so: a 404 for days, a TLS handshake (or certificate) that always
 * fails, a name that no longer resolves. The hook is tried for a day (domain/retry-span.ts), then
 * given up: one warning line, no POST after, `webhook list` (the bin's `main`, in this process) says DEACTIVATED, why and
 * since when, and goldratio_webhooks counts it deactivated. A hook that says it is gone (410) is
 * deactivated at once: gone.test.ts.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { drainOnClock, hookWorld, TestClock, type HookWorld } from '../../helpers/webhook-world.ts';
import { createMetrics } from '../../../src/ops/metrics.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { webhookStates } from '../../../src/store/webhooks.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const H = 3_600_000;

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(async () => {
  await w.close();
});

/**
 * A real HTTPS receiver whose certificate nobody signed (openssl, made for the test): Node refuses
 * it as it would a receiver's expired or self-made certificate. Closed after each test.
 */
let selfSigned: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (selfSigned === undefined ? r(undefined) : selfSigned.close(r)));
  selfSigned = undefined;
});
async function selfSignedUrl(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-cert-'));
  try {
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_, res) => res.writeHead(204).end());
    selfSigned = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** goldratio_webhooks as a scrape reads it, from this world's database. */
async function gauge(): Promise<Record<string, number>> {
  const m = createMetrics({ defaults: false });
  m.watch({ closeAgeSeconds: async () => [], ratios: async () => [], outboxDepth: async () => [], webhookStates: () => webhookStates(onSqlite(w.world.db)) });
  const text = await m.scrape();
  return Object.fromEntries([...text.matchAll(/^goldratio_webhooks\{state="(\w+)"\} (\d+)$/gm)].map((x) => [x[1]!, Number(x[2])]));
}

describe('a receiver gone without saying so', () => {
  test.each([
    ['answers 404 for days', (hw: HookWorld) => hw.rx.url('/gone'), /HTTP 404/],
    [
      'fails its TLS handshake every time',
      (hw: HookWorld) => hw.rx.url('/tls').replace(/^http:/, 'https:'),
      /EPROTO: TLS handshake failed \(wrong version number\); the server answered something other than TLS: plain HTTP\? try http:\/\//,
    ],
    ['has a name that no longer resolves', () => 'https://goldratio-hook.invalid/hook', /getaddrinfo ENOTFOUND goldratio-hook\.invalid/],
    ['presents a certificate nobody signed', () => selfSignedUrl(), /TLS certificate refused: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/],
  ])(
    'GIVEN a receiver that %s THEN it is tried for a day, then deactivated: one warning, no more tries, `webhook list` and /metrics say so',
    async (_, address, why) => {
      const added = await w.cli('webhook', 'add', await address(w));
      expect(added.code, added.stderr).toBe(0);
      const id = /added webhook (wh_[0-9a-f]+)/.exec(added.stdout)?.[1] ?? '';
      w.rx.answers.set('/gone', { status: 404, body: 'Not Found' });
      expect(await gauge()).toEqual({ ok: 1, failing: 0, deactivated: 0 });

      // Days before the real clock: `webhook list` below (the bin's main, on the real clock) then counts
      // "ago" from the moment this clock gave it up, as every part stamps it (store/subscriptions.ts).
      const clock = new TestClock(Date.now() - 8 * 24 * H);
      const first = clock.ms;
      await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], clock.ms);
      const d = w.dispatcher(w.notifier({ now: clock.now, timeoutMs: 2000 }), 1, clock.now);
      await d.drain();
      await d.settled();
      expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
      expect(await gauge()).toEqual({ ok: 0, failing: 1, deactivated: 0 });

      await drainOnClock(w.world, d, clock, async () => (await w.world.deps.subs.get('webhook', id))?.active === false);
      // Given up a day after the first failure, not before.
      expect(clock.ms - first).toBeGreaterThanOrEqual(24 * H);
      const tries = w.rx.at('/gone').length;
      const warned = w.world.log.records.filter((r) => r.level === 'warn' && String(r.msg).includes(`webhook chat ${id} deactivated`));
      expect(warned).toHaveLength(1);
      expect(String(warned[0]?.msg)).toMatch(why);

      // Days later, with new alerts: nothing is tried again, nothing is said again.
      clock.ms += 3 * 24 * H;
      await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], clock.ms);
      await d.drain();
      await d.settled();
      expect(w.rx.at('/gone')).toHaveLength(tries);
      expect(await d.pending()).toBe(0);
      expect(w.world.log.records.filter((r) => String(r.msg).includes(`webhook chat ${id} deactivated`))).toHaveLength(1);

      const list = await w.cli('webhook', 'list');
      expect(list.code, list.stderr).toBe(0);
      const line = list.stdout.split('\n').find((l) => l.includes(id)) ?? '';
      expect(line).toMatch(/DEACTIVATED \(/);
      expect(line).toMatch(why);
      // One line (a TLS error's OpenSSL stack ended in a newline), saying since when it is deactivated, then its address.
      expect(line).toMatch(/\) since \d{4}-\d\d-\d\dT[\d:.]+Z \(.+ ago\) {2}(http|https):\/\//);
      const since = Date.parse(/\) since (\S+) \(/.exec(line)?.[1] ?? '');
      expect(since - first).toBeGreaterThanOrEqual(24 * H);
      expect(since).toBeLessThan(first + 3 * 24 * H);
      expect(line).toMatch(/\((6|7) days ago\)/);
      const json = await w.cli('webhook', 'list', '--json');
      const [hook] = JSON.parse(json.stdout) as { id: string; active: boolean; deactivatedAt: string | null }[];
      expect(hook).toMatchObject({ id, active: false });
      expect(Number.isNaN(Date.parse(hook?.deactivatedAt ?? ''))).toBe(false);
      expect(await gauge()).toEqual({ ok: 0, failing: 0, deactivated: 1 });
    },
  );

  test('GIVEN a removed hook THEN /metrics counts it nowhere', async () => {
    const { id } = await w.add('/x');
    expect(await gauge()).toEqual({ ok: 1, failing: 0, deactivated: 0 });
    expect((await w.cli('webhook', 'remove', id)).code).toBe(0);
    expect(await gauge()).toEqual({ ok: 0, failing: 0, deactivated: 0 });
  });
});
