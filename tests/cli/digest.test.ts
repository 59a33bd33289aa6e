/** `goldratio digest --preview` as an operator runs it (in this process, through the bin's `main`), on a real SQLite file. */
import { afterEach, describe, expect, test } from 'vitest';
import { existsSync, linkSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCliInProcess } from '../helpers/cli.ts';
import { chatWorld, type ChatWorld } from '../helpers/chat.ts';

let w: ChatWorld;
afterEach(() => w?.close());

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('goldratio digest --preview --out', () => {
  test('GIVEN an existing x.png THEN the chart replaces it whole (written beside it, then renamed), never rewritten in place, no temp file left', async () => {
    w = chatWorld();
    const dir = dirname(w.db.name);
    const out = join(dir, 'x.png');
    writeFileSync(out, 'old chart');
    // A second name for the old file: a write in place would change it too; a rename leaves it be.
    linkSync(out, join(dir, 'old.png'));
    const r = await runCliInProcess(['digest', '--preview', '--out', out], { DATABASE_PATH: w.db.name, DATA_DIR: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out).subarray(0, 4)).toEqual(PNG);
    expect(readFileSync(join(dir, 'old.png'), 'utf8')).toBe('old chart');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  test('GIVEN --out .png (only an extension) THEN one line, exit 2, no hidden file written', async () => {
    w = chatWorld();
    const dir = dirname(w.db.name);
    for (const [out, line] of [
      [join(dir, '.png'), '--out .png is only an extension: name the file, e.g. chart.png'],
      [join(dir, '.PNG'), '--out .PNG is only an extension: name the file, e.g. chart.PNG'],
    ] as const) {
      const r = await runCliInProcess(['digest', '--preview', '--out', out], { DATABASE_PATH: w.db.name, DATA_DIR: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`goldratio digest: ${line}\n`);
      expect(r.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('digest --preview on months-old data', () => {
  // The store ends on 2026-11-20; 2027-03-01 00:00 UTC is Sunday evening in New York, Friday 2027-02-26's close due.
  const later = Date.parse('2027-03-01T00:00:00Z');
  test('GIVEN the newest close 3 months older than the one due THEN the preview says how old the data is and where to look, not that one close is late (en, zh-TW, zh-CN)', async () => {
    w = chatWorld();
    const dir = dirname(w.db.name);
    for (const [lang, line] of [
      [
        'en',
        'The newest close the bot has is from 2026-11-20, over 3 months ago: its daily update seems to have stopped (the operator can check with goldratio status).',
      ],
      ['zh-TW', '機器人目前最新的收盤資料是2026年11月20日，距今超過 3 個月：機器人的每日資料更新似乎已停止（管理者可用 goldratio status 查看）。'],
      ['zh-CN', '机器人目前最新的收盘数据是2026年11月20日，距今超过 3 个月：机器人的每日数据更新似乎已停止（管理员可用 goldratio status 查看）。'],
    ] as const) {
      const r = await runCliInProcess(
        ['digest', '--preview', '--lang', lang, '--out', join(dir, `${lang}.png`)],
        { DATABASE_PATH: w.db.name, DATA_DIR: dir },
        { nowMs: later },
      );
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n')[1]).toBe(line);
    }
  });
});
