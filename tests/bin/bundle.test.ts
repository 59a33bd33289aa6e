/**
 * The bin's compiled copy of the sources (bin/bundle.js). How a bundle is made and kept (built once,
 * never run stale, built once by processes starting together) is shown on a small project of its
 * own, where a build takes milliseconds: the rules are the same for any sources. That this
 * project's sources bundle, and that the packages bundled with them (grammY, discord.js, Chart.js,
 * undici, kysely) work from the bundle, is shown by a copy of the project started on both
 * platforms' fakes from its bundle, with a render worker drawing a chart; and that a cache folder
 * that cannot be written still leaves a working command (through tsx), on that copy too.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  appendFileSync,
  readFileSync,
  cpSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChild } from '../helpers/process.ts';
// @ts-expect-error: plain JavaScript, no declarations
import { bundledCli, esbuildOf, sourceKey } from '../../bin/bundle.js';
import { until } from '../helpers/replicas.ts';
import { opsPortOf } from '../helpers/ops-port.ts';
import { monthStarts, quoteServerEnv, startFlatMarket } from '../fakes/quote-server.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { FAKE_APP_ID, FakeDiscord, slashInteraction } from '../fakes/discord.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A copy of this project, with this project's bundle under the copy's key. */
let proj: string;
/** A project of two small sources: its builds are what the first tests watch. */
let mini: string;

/** A folder with `root`'s bin and package.json, and its node_modules linked (tsx brings esbuild). */
function projectAt(dir: string): string {
  for (const f of ['package.json', 'tsconfig.json']) copyFileSync(join(ROOT, f), join(dir, f));
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== '.cache') symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
  return dir;
}

beforeAll(() => {
  proj = projectAt(mkdtempSync(join(tmpdir(), 'goldratio-bundle-')));
  cpSync(join(ROOT, 'src'), join(proj, 'src'), { recursive: true });
  // This project's sources compile into a bundle with both entries (built now if no process of
  // this run has built it yet); the copy gets it under its own key (the copied files' times
  // differ) instead of compiling the same sources again.
  const cli = bundledCli(ROOT) as string | undefined;
  if (cli === undefined) throw new Error("this project's sources could not be bundled (bin/bundle.js fell back to tsx)");
  const built = fileURLToPath(new URL('.', cli));
  if (!existsSync(join(built, 'render-worker.mjs'))) throw new Error(`no render-worker.mjs in ${built}`);
  const { version } = esbuildOf(ROOT) as { version: string };
  cpSync(built, join(proj, 'node_modules', '.cache', 'goldratio', `bundle-${sourceKey(proj, version)}`), { recursive: true });

  mini = projectAt(mkdtempSync(join(tmpdir(), 'goldratio-bundle-mini-')));
  mkdirSync(join(mini, 'src', 'charts'), { recursive: true });
  writeFileSync(
    join(mini, 'src', 'cli.ts'),
    "export async function main(argv: string[]): Promise<number> {\n  process.stdout.write('ran ' + argv.join(' ') + '\\n');\n  return 0;\n}\n",
  );
  writeFileSync(join(mini, 'src', 'charts', 'render-worker.mjs'), 'export default function render() {}\n');
});
afterAll(() => {
  rmSync(proj, { recursive: true, force: true });
  rmSync(mini, { recursive: true, force: true });
});

async function run(root: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const c = spawnChild([join(root, 'bin', 'goldratio.js'), ...args], { DATA_DIR: join(root, 'data') }, root);
  const { code } = await c.exited;
  return { code, out: c.stdout(), err: c.stderr() };
}

const bundles = () => readdirSync(join(mini, 'node_modules', '.cache', 'goldratio')).filter((n) => n.startsWith('bundle-'));

test('GIVEN a first run THEN the sources are compiled once and run from the bundle; an edited source makes a new one, so nothing stale runs', async () => {
  const first = await run(mini, ['status']);
  expect(first.code, first.err).toBe(0);
  expect(first.out).toBe('ran status\n');
  const [built] = bundles();
  expect(built).toMatch(/^bundle-[0-9a-f]{16}$/);
  expect(readdirSync(join(mini, 'node_modules', '.cache', 'goldratio', built!))).toEqual(expect.arrayContaining(['cli.mjs', 'render-worker.mjs']));

  // The same sources: the same bundle, nothing built again.
  expect((await run(mini, ['status'])).code).toBe(0);
  expect(bundles()).toEqual([built]);

  appendFileSync(join(mini, 'src', 'cli.ts'), "\nprocess.stderr.write('edited source ran\\n');\n");
  const edited = await run(mini, ['status']);
  expect(edited.code, edited.err).toBe(0);
  expect(edited.err).toMatch(/^edited source ran$/m);
  expect(bundles()).toHaveLength(2);
}, 60_000);

test('GIVEN the bundled bin started on Telegram and Discord with a render worker THEN both answer, and the chart is drawn in the worker', async () => {
  // Closes up to today (/freshz wants fresh data), and M2 to this month.
  const today = new Date().toISOString().slice(0, 10);
  const [server, tg, dc] = await Promise.all([startFlatMarket(today), FakeTelegram.start(), FakeDiscord.start()]);
  server.setSeries(
    'M2SL',
    monthStarts('2023-12-01', `${today.slice(0, 7)}-01`).map((date) => ({ date, value: 21_000 })),
  );
  const data = mkdtempSync(join(tmpdir(), 'goldratio-bundle-start-'));
  const bot = spawnChild(
    [join(proj, 'bin', 'goldratio.js'), 'start'],
    {
      DATA_DIR: data,
      // The kernel's free port at the listen, read back from the bot's line.
      HTTP_PORT: '0',
      BACKFILL_FROM: '2024-01-02',
      ...quoteServerEnv(server),
      CHART_WARMUP: 'off',
      CHART_WORKERS: '1',
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DISCORD_TOKEN: dc.token,
      DISCORD_APPLICATION_ID: FAKE_APP_ID,
      DISCORD_API_BASE: dc.api,
    },
    proj,
  );
  try {
    const http = await opsPortOf(bot, 60_000);
    // Ready (both platforms up) and fresh (the first sync done).
    let said = '';
    const ask = (path: string) => fetch(`http://127.0.0.1:${http}${path}`).then(async (r) => `${path} ${r.status} ${await r.text()}`, String);
    await until(
      'a ready bot',
      async () => {
        if (bot.child.exitCode !== null) throw new Error(`the bot exited (${bot.child.exitCode})`);
        said = `${await ask('/readyz')}; ${await ask('/freshz')}`;
        return /^\/readyz 200 .*; \/freshz 200 /s.test(said) || undefined;
      },
      // The first sync and both platforms' starts beside a loaded machine's other work took over 30 s.
      60_000,
    ).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; it said ${said}; the bot said ${bot.stderr().slice(-1500)}`);
    });
    // With a pool, a chart is drawn only in its worker (src/charts/service.ts): a PNG is the
    // bundle's render-worker.mjs at work.
    tg.textMessage(4242, '/chart spx 1Y');
    const photo = await tg.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '4242', 20_000);
    expect(photo.files[0]!.bytes.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    dc.interact(slashInteraction({ name: 'ratio', options: [{ name: 'pair', type: 3, value: 'qqq' }] }));
    // Deferred, then the answer edited in.
    await dc.waitFor('POST', /\/callback$/);
    const [answer] = await dc.waitFor('PATCH', /\/messages\/@original$/);
    expect(JSON.stringify(answer!.body)).toMatch(/QQQ\/Gold/);
  } finally {
    bot.child.kill('SIGTERM');
    const { code } = await bot.exited;
    await Promise.all([server.close(), tg.close(), dc.close()]);
    rmSync(data, { recursive: true, force: true });
    expect(code, bot.stderr().slice(-1500)).toBe(0);
  }
  expect(bot.stderr()).not.toMatch(/\n\s+at |"level":"(error|fatal)"/);
}, 150_000);

test("GIVEN a crash in the bundle's code THEN its stack names the source file and line; a start that prints none leaves source maps off", async () => {
  const crashy = projectAt(mkdtempSync(join(tmpdir(), 'goldratio-bundle-crash-')));
  try {
    mkdirSync(join(crashy, 'src', 'charts'), { recursive: true });
    writeFileSync(
      join(crashy, 'src', 'cli.ts'),
      [
        'export async function main(argv: string[]): Promise<number> {',
        "  if (argv[0] === 'crash') return deep();",
        "  process.stdout.write(process.sourceMapsEnabled ? 'source maps on\\n' : 'source maps off\\n');",
        '  return 0;',
        '}',
        'function deep(): number {',
        "  const why: string = 'the sources crashed';",
        '  throw new Error(why);',
        '}',
        '',
      ].join('\n'),
    );
    writeFileSync(join(crashy, 'src', 'charts', 'render-worker.mjs'), 'export default function render() {}\n');
    const fine = await run(crashy, ['status']);
    expect(fine, fine.err).toMatchObject({ code: 0, out: 'source maps off\n' });
    const crash = await run(crashy, ['crash']);
    expect(crash.code).toBe(1);
    const frames = crash.err.split('\n').filter((l) => /^\s+at /.test(l));
    // Line 8, column 9: the throw in src/cli.ts; its call on line 2, column 35. Not the bundle's cli.mjs.
    expect(frames.slice(0, 2), crash.err).toEqual([
      `    at deep (${join(crashy, 'src', 'cli.ts')}:8:9)`,
      `    at main (${join(crashy, 'src', 'cli.ts')}:2:35)`,
    ]);
    // (The code line Node quotes above a crash is the bundle's: the same text, from cli.mjs.)
    expect(
      frames.filter((l) => l.includes('.cache')),
      crash.err,
    ).toEqual([]);
  } finally {
    rmSync(crashy, { recursive: true, force: true });
  }
});

test("GIVEN --version THEN the bundled bin finds the project's package.json from its cache folder", async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const r = await run(proj, ['--version']);
  expect(r, r.err).toMatchObject({ code: 0, out: `goldratio ${version}\n` });
  expect(readdirSync(join(proj, 'node_modules', '.cache', 'goldratio')).filter((n) => n.startsWith('bundle-'))).toHaveLength(1);
});

test('GIVEN another process building the bundle (its lock held) THEN a start waits for that bundle instead of compiling its own; a lock its dead builder left is taken over', async () => {
  const cache = join(mini, 'node_modules', '.cache', 'goldratio');
  const esbuild = esbuildOf(mini) as { version: string };
  const dirOf = () => join(cache, `bundle-${sourceKey(mini, esbuild.version)}`);
  // The bundle of the sources as they are (with the first test's edit, which it prints).
  const earlier = dirOf();
  // New sources, so a new bundle is due; another process (this test) holds its build lock.
  appendFileSync(join(mini, 'src', 'cli.ts'), "\nprocess.stderr.write('second edit ran\\n');\n");
  const due = dirOf();
  mkdirSync(`${due}.lock`);
  const waiting = spawnChild([join(mini, 'bin', 'goldratio.js'), 'status'], { DATA_DIR: join(mini, 'data') }, mini);
  // These sources build in milliseconds: in 1 s nothing is compiled for that key, and the command has not run.
  await new Promise((r) => setTimeout(r, 1000));
  expect(readdirSync(cache).filter((n) => n.startsWith(basename(due)) && !n.endsWith('.lock'))).toEqual([]);
  expect(waiting.child.exitCode).toBeNull();
  // The other process's bundle lands (an earlier one stands in for it, told apart by what it
  // prints) and its lock goes: the waiting command runs that bundle.
  // Whole at once, as a build lands (renamed into place).
  cpSync(earlier, `${due}.copy`, { recursive: true });
  renameSync(`${due}.copy`, due);
  rmSync(`${due}.lock`, { recursive: true });
  const w = await waiting.exited;
  expect(w.code, waiting.stderr()).toBe(0);
  expect(waiting.stderr()).toMatch(/^edited source ran$/m);
  expect(waiting.stderr()).not.toMatch(/second edit ran/);

  // A lock left behind by a build that died a minute ago: taken over at once, and the bundle built.
  appendFileSync(join(mini, 'src', 'cli.ts'), "\nprocess.stderr.write('third edit ran\\n');\n");
  const stale = `${dirOf()}.lock`;
  mkdirSync(stale);
  const minuteAgo = new Date(Date.now() - 60_000);
  utimesSync(stale, minuteAgo, minuteAgo);
  const r = await run(mini, ['status']);
  expect(r.code, r.err).toBe(0);
  expect(r.err).toMatch(/^third edit ran$/m);
  expect(readdirSync(cache).filter((n) => n.endsWith('.lock') || n.endsWith('.tmp'))).toEqual([]);

  // A lock a second old, whose builder was stopped mid-build (Ctrl-C on the first start): its
  // holder names a process of this machine that is gone, so the lock is taken over at once
  // instead of after LOCK_STALE_MS (30 s) of a silent wait.
  appendFileSync(join(mini, 'src', 'cli.ts'), "\nprocess.stderr.write('fourth edit ran\\n');\n");
  const dead = spawnChild(['-e', ''], {}, mini);
  await dead.exited;
  const cut = `${dirOf()}.lock`;
  mkdirSync(cut);
  writeFileSync(join(cut, 'holder'), `${hostname()} ${dead.child.pid}\n`);
  const t0 = Date.now();
  const f = await run(mini, ['status']);
  expect(f.code, f.err).toBe(0);
  expect(f.err).toMatch(/^fourth edit ran$/m);
  expect(Date.now() - t0, 'the lock of a builder that is gone was waited on').toBeLessThan(25_000);
  expect(readdirSync(cache).filter((n) => n.endsWith('.lock') || n.endsWith('.tmp'))).toEqual([]);
}, 90_000);

test('GIVEN a process still running from an older bundle WHEN newer sources are built past the bundles kept THEN its bundle stays until it exits (what it loads later, the renderer or pg, is still there), then goes', async () => {
  const cache = join(mini, 'node_modules', '.cache', 'goldratio');
  const esbuild = esbuildOf(mini) as { version: string };
  const dirOf = () => join(cache, `bundle-${sourceKey(mini, esbuild.version)}`);
  const cli = join(mini, 'src', 'cli.ts');
  writeFileSync(
    cli,
    "export async function main(argv: string[]): Promise<number> {\n  if (argv[0] === 'wait') {\n    process.stdout.write('waiting\\n');\n    await new Promise((r) => process.stdin.once('data', r));\n  }\n  process.stdout.write('ran ' + argv.join(' ') + '\\n');\n  return 0;\n}\n",
  );
  const older = dirOf();
  const running = spawnChild([join(mini, 'bin', 'goldratio.js'), 'wait'], { DATA_DIR: join(mini, 'data') }, mini);
  await running.waitFor(/waiting/);
  // An upgrade, and another, and another, each run once: more newer bundles than are kept.
  for (const edit of [1, 2, 3]) {
    appendFileSync(cli, `\n// edit ${edit}\n`);
    const r = await run(mini, ['status']);
    expect(r.code, r.err).toBe(0);
  }
  expect(existsSync(join(older, 'cli.mjs'))).toBe(true);
  running.child.stdin!.end('go\n');
  const w = await running.exited;
  expect(w.code, running.stderr()).toBe(0);
  expect(running.stdout()).toBe('waiting\nran wait\n');
  // Exited: the next build prunes it, as any bundle past those kept.
  appendFileSync(cli, '\n// edit 4\n');
  expect((await run(mini, ['status'])).code).toBe(0);
  expect(existsSync(older)).toBe(false);
  expect(bundles()).toHaveLength(3);
}, 60_000);

test("GIVEN two checkouts sharing one node_modules (worktrees) WHEN one is built past the bundles kept THEN the other's newest stays, so its next start compiles nothing; once that checkout is gone, it is pruned like any other", async () => {
  const cache = join(mini, 'node_modules', '.cache', 'goldratio');
  const esbuild = esbuildOf(mini) as { version: string };
  const edit = (root: string, line: string) => appendFileSync(join(root, 'src', 'cli.ts'), `\n${line}\n`);
  // A second checkout of the small project whose node_modules/.cache is the first's, as worktrees linking one node_modules share it.
  const twin = projectAt(mkdtempSync(join(tmpdir(), 'goldratio-bundle-twin-')));
  cpSync(join(mini, 'src'), join(twin, 'src'), { recursive: true });
  mkdirSync(join(mini, 'node_modules', '.cache'), { recursive: true });
  symlinkSync(join(mini, 'node_modules', '.cache'), join(twin, 'node_modules', '.cache'));
  edit(twin, "process.stderr.write('twin ran\\n');");
  let twins: string;
  try {
    const first = await run(twin, ['status']);
    expect(first.err).toMatch(/^twin ran$/m);
    twins = join(cache, `bundle-${sourceKey(twin, esbuild.version)}`);
    expect(existsSync(join(twins, 'cli.mjs'))).toBe(true);
    // The first checkout builds three times: more bundles than are kept.
    for (const n of [5, 6, 7]) {
      edit(mini, `// edit ${n}`);
      expect((await run(mini, ['status'])).code).toBe(0);
    }
    expect(existsSync(join(twins, 'cli.mjs'))).toBe(true);
    expect(bundles()).toHaveLength(4);
    const before = bundles();
    expect((await run(twin, ['status'])).err).toMatch(/^twin ran$/m);
    expect(bundles()).toEqual(before);
  } finally {
    rmSync(twin, { recursive: true, force: true });
  }
  // Gone: once the newer builds push it past those kept, the next build prunes it.
  for (const n of [8, 9, 10]) {
    edit(mini, `// edit ${n}`);
    expect((await run(mini, ['status'])).code).toBe(0);
  }
  expect(existsSync(twins!)).toBe(false);
  expect(bundles()).toHaveLength(3);
}, 90_000);

test('GIVEN a cache folder that cannot be made THEN the command still runs, through tsx', async () => {
  rmSync(join(proj, 'node_modules', '.cache'), { recursive: true, force: true });
  // A file where the folder would go: mkdir fails (ENOTDIR), as on a read-only install.
  writeFileSync(join(proj, 'node_modules', '.cache'), 'not a folder');
  const r = await run(proj, ['ratio', 'nonsense']);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/^goldratio ratio: unexpected argument "nonsense"/m);
  expect(r.err).not.toMatch(/\n\s+at /);
}, 60_000);
