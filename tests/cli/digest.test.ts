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
