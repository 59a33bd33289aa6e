/**
 * A range the market could not fetch, kept to ask again at each sync (store/unfetched.ts), named where a
 * reader and an operator look: /status, in each language, and `goldratio status` (text and --json). The
 * range is made as a sync makes it: Twelve Data (the real HTTP client on the quote fake) refusing the
 * second window of the head Yahoo lacks, on a real SQLite file and on the PostgreSQL server; then fetched, and no longer named.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../../src/log.ts';
import { createMarket } from '../../src/market/market.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { UnfetchedStore } from '../../src/store/unfetched.ts';
import { MarketView } from '../../src/store/market-view.ts';
import type { StoreDb } from '../../src/store/engine.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { quoteServerConfig, type QuoteServer } from '../fakes/quote-server.ts';
import { NOW, spxHistoryServer, TD_KEY } from '../helpers/twelve-data-history.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';
import { runCliInProcess as cli } from '../helpers/cli.ts';

let server: QuoteServer;
let dir: string;
let w: ChatWorld;

beforeAll(async () => {
  server = await spxHistoryServer({ yahooFrom: '2020-01-02' });
  dir = mkdtempSync(join(tmpdir(), 'goldratio-unfetched-status-'));
  w = chatWorld({ seed: false });
});
afterAll(async () => {
  w?.close();
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const sync = async (db: StoreDb) => {
  const config = quoteServerConfig(server, { TWELVEDATA_API_KEY: TD_KEY, SOURCES_SPX: 'yahoo,twelvedata', HTTP_RETRIES: '0' });
  return (await createMarket(config, new QuoteStore(db), memoryLogger(), { now: () => NOW, sleep: async () => {} }).recheck(['spx'])).instruments[0]!;
};

/** /status in a `lang` chat, read from the file: its S&P 500 line. */
async function statusLine(db: StoreDb, lang: string): Promise<string | undefined> {
  const deps = { ...w.deps, view: new MarketView(new QuoteStore(db)) };
  const r = await findCommand('status')!.run(deps, chatCtx({ chatId: `s-${lang}`, userLanguageCode: lang, nowMs: NOW }), []);
  return plainText(r)
    .split('\n')
    .find((l) => /^(?:S&P 500|標普500|标普500)/.test(l));
}

describeOnEngines('unfetched ranges in /status and goldratio status', (open) => {
  test('GIVEN the second window of the head refused THEN /status (en, zh-TW, zh-CN) and goldratio status name the range kept and that each sync asks it again; fetched, neither does', async () => {
    const { store: db, env: dbEnv } = await open.withEnv();
    server.fault('/time_series', { kind: 'status', status: 503 }, Number.POSITIVE_INFINITY, { start_date: '2012-11-16' });
    expect((await sync(db)).unfetched).toEqual([{ from: '2012-11-16', to: '2020-01-01' }]);

    expect(await statusLine(db, 'en')).toMatch(/ · 2012-11-16\.\.2020-01-01 not fetched yet; asked again at each sync$/);
    expect(await statusLine(db, 'zh-TW')).toMatch(/ · 2012年11月16日至2020年1月1日尚未取得；每次同步都會再抓一次$/);
    expect(await statusLine(db, 'zh-CN')).toMatch(/ · 2012年11月16日至2020年1月1日尚未获取；每次同步都会再抓取一次$/);

    const env = { ...dbEnv, DATA_DIR: dir };
    const text = await cli(['status'], env, { nowMs: NOW });
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')).toContain('spx   2012-11-16..2020-01-01 not fetched yet; asked again at each sync');
    const json = JSON.parse((await cli(['status', '--json'], env, { nowMs: NOW })).stdout) as { instruments: Record<string, unknown>[] };
    expect(json.instruments.map((i) => [i.instrument, i.unfetched])).toEqual([
      ['spx', [{ from: '2012-11-16', to: '2020-01-01' }]],
      ['qqq', undefined],
      ['gold', undefined],
      ['m2', undefined],
    ]);

    // Answered at the next sync: nothing kept, nothing named.
    server.clearFaults();
    expect((await sync(db)).unfetched).toBeUndefined();
    expect(await statusLine(db, 'en')).not.toContain('not fetched');
    expect((await cli(['status'], env, { nowMs: NOW })).stdout).not.toContain('not fetched');

    // Kept beside others (three ranges): /status names two and counts the rest; goldratio status lists each.
    await new UnfetchedStore(db).update('gold', () => [
      { from: '2001-01-02', to: '2001-06-29' },
      { from: '2005-01-03', to: '2005-03-31' },
      { from: '2010-07-01', to: '2010-07-30' },
    ]);
    const deps = { ...w.deps, view: new MarketView(new QuoteStore(db)) };
    const gold = async (lang: string) =>
      plainText(await findCommand('status')!.run(deps, chatCtx({ chatId: `g-${lang}`, userLanguageCode: lang, nowMs: NOW }), []))
        .split('\n')
        .find((l) => /^(?:Gold|黃金|黄金)/.test(l));
    // Gold has no close stored here: its line says so, and what is kept to ask again.
    expect(await gold('en')).toMatch(
      /no data · 2001-01-02\.\.2001-06-29, 2005-01-03\.\.2005-03-31 and 1 more range not fetched yet; asked again at each sync$/,
    );
    expect(await gold('zh-TW')).toMatch(/無資料 · 2001年1月2日至2001年6月29日、2005年1月3日至2005年3月31日及另外 1 段尚未取得；每次同步都會再抓一次$/);
    expect((await cli(['status'], env, { nowMs: NOW })).stdout.split('\n')).toContain(
      'gold  2001-01-02..2001-06-29, 2005-01-03..2005-03-31, 2010-07-01..2010-07-30 not fetched yet; asked again at each sync',
    );
  });
});
