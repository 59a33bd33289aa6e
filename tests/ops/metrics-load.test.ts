/**
 * prom-client is loaded only by a process whose metrics can be scraped (HTTP_PORT set): its loading
 * was 55-100 ms of every start, and its default metrics keep an event-loop monitor and a GC observer
 * running, for nobody when the ops server is off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { childScript } from '../helpers/child-script.ts';
import { spawnChild } from '../helpers/process.ts';

const CHILD = fileURLToPath(new URL('../fakes/metrics-load-child.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test.each([
  { http: undefined, said: 'prom-client not loaded' },
  { http: '0', said: 'prom-client loaded' },
])(
  'GIVEN HTTP_PORT $http THEN a started bot says "$said"',
  async ({ http, said }) => {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-metrics-load-'));
    dirs.push(dir);
    // A split bundle: main.ts's lazy import of metrics.ts stays a chunk of its own, as in bin/bundle.js
    // (a single-file bundle would inline it and load prom-client at its start, whatever main.ts does).
    // Through tsx instead, module by module, the child took ~3.5 s of CPU where this takes ~0.6 s.
    const child = spawnChild([childScript(CHILD, { split: true }), ...(http === undefined ? [dir] : [dir, http])], {});
    const end = await child.exited;
    expect(child.stdout().trim(), child.stderr()).toBe(said);
    expect(end.code).toBe(0);
  },
  60_000,
);
