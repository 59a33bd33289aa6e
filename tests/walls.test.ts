/**
 * The walls of docs/architecture.md, as .dependency-cruiser.cjs checks them (`npm run walls`).
 * Runs that same config on tests/fixtures/walls/, a fake src/ whose files cross each wall on purpose
 * (and a few that stay inside), so a rule that stops matching fails here instead of passing silently.
 * The real src/ is checked by `npm run walls`, which `npm test` runs before vitest.
 */
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/walls/', import.meta.url));

async function violations(baseDir: string): Promise<string[]> {
  const options = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`);
  const result = await cruise(['src'], { ...options, baseDir }, undefined, { tsConfig: extractTSConfig(`${ROOT}tsconfig.json`) });
  const summary = (result.output as ICruiseResult).summary;
  return summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to.replace(/^.*node_modules\//, '')}`).sort();
}

describe('the walls', () => {
  test('GIVEN files that cross each wall THEN each crossing is reported, and nothing else', async () => {
    const found = await violations(FIXTURE);
    expect(found).toEqual([
      expect.stringMatching(/^chat-is-platform-neutral: src\/chat\/uses-grammy\.ts -> src\/platforms\/render\.ts$/),
      expect.stringMatching(/^domain-is-pure: src\/domain\/uses-fs\.ts -> (node:)?fs$/),
      expect.stringMatching(/^domain-is-pure: src\/domain\/uses-sqlite\.ts -> (@types\/)?better-sqlite3\//),
      'domain-is-pure: src/domain/uses-store-type.ts -> src/store/rows.ts',
      expect.stringMatching(/^only-charts-import-canvas: src\/ops\/uses-canvas\.ts -> @napi-rs\/canvas\//),
      expect.stringMatching(/^only-market-imports-undici: src\/alerts\/uses-undici\.ts -> undici\//),
      expect.stringMatching(/^only-platforms-import-chat-apis: src\/chat\/uses-grammy\.ts -> grammy\//),
      expect.stringMatching(/^only-platforms-import-chat-apis: src\/market\/uses-discord\.ts -> discord\.js\//),
      expect.stringMatching(/^only-store-imports-postgres: src\/alerts\/uses-pg\.ts -> pg\//),
      expect.stringMatching(/^only-store-imports-sqlite: src\/alerts\/uses-sqlite13\.ts -> better-sqlite3-13(\/|$)/),
      expect.stringMatching(/^only-store-imports-sqlite: src\/domain\/uses-sqlite\.ts -> (@types\/)?better-sqlite3\//),
      'raw-db-handle-stays-in-store: src/alerts/uses-db.ts -> src/store/db.ts',
    ]);
  });
});

describe('one sleep', () => {
  /** Every source file's text, by its path under src/. */
  const sources = (): [string, string][] =>
    (readdirSync(`${ROOT}src`, { recursive: true }) as string[]).filter((f) => /\.(ts|mjs)$/.test(f)).map((f) => [f, readFileSync(`${ROOT}src/${f}`, 'utf8')]);
  const ownSleep = /new Promise[^;]{0,40}=>\s*setTimeout\(\s*\w+\s*,/;

  test('GIVEN the sources THEN only src/sleep.ts wraps a timer in a promise: every wait goes through its sleep', () => {
    expect(ownSleep.test('await new Promise((r) => setTimeout(r, 50));')).toBe(true);
    expect(
      sources()
        .filter(([f, text]) => f !== 'sleep.ts' && ownSleep.test(text))
        .map(([f]) => f),
    ).toEqual([]);
  });
});
