// The bin's compiled copy of the sources. `goldratio` runs TypeScript; through tsx's loader every
// module of the graph (ours and the packages') takes a round trip to a loader thread on Node 20,
// which costs 2-3 s of CPU per start. So the first run compiles src/ into one bundle with esbuild
// (the compiler tsx itself uses, a dependency of tsx) under node_modules/.cache/goldratio/, keyed
// by the sources' names, sizes and modification times; later runs load it in a fraction of a second.
// The packages written in plain JavaScript go into the bundle too: Node loads kysely's ~400 modules,
// undici's or grammY's one by one, which was half of a start's CPU. Those that find files of their
// own at run time (native addons, worker and daemon scripts) load from node_modules (EXTERNAL).
// Processes starting together build it once: one takes a lock, the others wait for its bundle.
// An edited source makes a new key, so a stale bundle is never run. Anything in the way (no esbuild,
// a cache folder that cannot be written) falls back to running the sources through tsx.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, existsSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import moduleApi, { createRequire, SourceMap } from 'node:module';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Bumped when the build options below change, so that bundles made with the old ones are not reused. */
const FORMAT = 2;
/**
 * The packages loaded from node_modules rather than bundled: native addons (and the optional ones
 * their neighbours try), packages that start a worker, a transport or a daemon from a file of their
 * own (pino, piscina, node-cron), and the compilers (the render worker registers tsx only when run
 * from src/).
 */
export const EXTERNAL = [
  'better-sqlite3',
  'better-sqlite3-13',
  '@napi-rs/canvas',
  'bufferutil',
  'utf-8-validate',
  'zlib-sync',
  'pg-native',
  'pino',
  'pino-pretty',
  'thread-stream',
  'piscina',
  'node-cron',
  'tsx',
  'esbuild',
];
/**
 * Bundles kept: the current one and a few before it, the newest of each other checkout sharing the
 * cache whose folder is still there (worktrees linking one node_modules: each would otherwise evict
 * the others' and compile again at its next start), and any a live process runs from (markInUse).
 */
const KEEP = 3;
/** The file in a bundle naming the checkout it was built from (prune keeps each live checkout's newest). */
const ROOT_FILE = 'root';

/** tsx's own esbuild under `root` (a dependency of tsx, so present wherever the sources run at all); throws without it. */
export function esbuildOf(root) {
  return createRequire(join(root, 'node_modules', 'tsx', 'package.json'))('esbuild');
}

/**
 * The version of esbuildOf(root), read from its package.json: a start that finds its bundle built
 * needs only the version for the key, and loading esbuild's API took 12-27 ms of every start.
 */
export function esbuildVersion(root) {
  const require = createRequire(join(root, 'node_modules', 'tsx', 'package.json'));
  return JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
}

/** The sources' fingerprint: every file's path, size and modification time under src/. */
export function sourceKey(root, esbuildVersion = '') {
  return fingerprint(root, ['src'], `${FORMAT}\0${esbuildVersion}\0`);
}

/**
 * Every file's path (relative to `root`), size and modification time under `dirs`, after `salt`: 16
 * hex digits. Every start walks src/ (~300 files): the paths are made by hand and hashed at once,
 * not through path.join and path.relative and a hash update per file, which took twice the CPU
 * (25-30 ms against 11-13, the functions still cold that early). The same key on POSIX.
 */
export function fingerprint(root, dirs, salt) {
  const parts = [salt];
  const base = join(root, '.');
  const walk = (rel) => {
    const entries = readdirSync(`${base}${sep}${rel}`, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const r = `${rel}${sep}${e.name}`;
      if (e.isDirectory()) walk(r);
      else {
        const s = statSync(`${base}${sep}${r}`);
        parts.push(`${r}\0${s.size}\0${s.mtimeMs}\0`);
      }
    }
  };
  for (const d of dirs) walk(d);
  return createHash('sha256').update(parts.join('')).digest('hex').slice(0, 16);
}

/**
 * The URL of the compiled CLI entry for the sources under `root`, built now if it is not there;
 * undefined when it cannot be had (the caller then runs the sources through tsx).
 */
export function bundledCli(root) {
  try {
    const cache = join(root, 'node_modules', '.cache', 'goldratio');
    const dir = join(cache, `bundle-${sourceKey(root, esbuildVersion(root))}`);
    const entry = join(dir, 'cli.mjs');
    if (!existsSync(entry)) {
      mkdirSync(cache, { recursive: true });
      // Processes starting together (replicas after a deploy, a test suite) build it once: the
      // others wait for it instead of each compiling the same sources.
      const lock = `${dir}.lock`;
      if (!awaitBuilder(lock, entry)) {
        try {
          build(esbuildOf(root), root, dir, cache);
        } finally {
          rmSync(lock, { recursive: true, force: true });
        }
      }
    } else {
      // In use: the newest stay when older ones are pruned (a read-only cache keeps what it has).
      try {
        const now = new Date();
        utimesSync(dir, now, now);
      } catch {}
    }
    markInUse(dir);
    // Node 22.1+: V8's compiled code for the bundle's modules, kept beside them (and pruned with
    // them): a start compiles only what no start before it did. Node 20 has no such cache.
    try {
      moduleApi.enableCompileCache?.(join(dir, 'v8'));
    } catch {}
    return pathToFileURL(entry).href;
  } catch {
    return undefined;
  }
}

/**
 * Stack traces of the bundle's code name the src/ file, line and column, as Node's own source maps
 * (process.setSourceMapsEnabled) would, but a map is read only when a stack through its chunk is
 * formatted (a crash, LOG_LEVEL=debug's stack): Node's reads every loaded chunk's map at the start,
 * 50-70 ms of a CLI command's ~0.5 s of CPU, for stacks that are almost never printed. `dir` is the
 * bundle's folder as bundledCli found it: its sources resolve from there, not from the real path
 * Node gives a module (a node_modules that is a link to another checkout's).
 */
export function mapStacks(dir) {
  const folder = `/${basename(dir)}/`;
  /** Each chunk's map, read at its first frame (null: none, or unreadable). */
  const maps = new Map();
  const mapOf = (file) => {
    let map = maps.get(file);
    if (map === undefined) {
      try {
        const path = join(dir, file);
        map = { map: new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))), from: dirname(path) };
      } catch {
        map = null;
      }
      maps.set(file, map);
    }
    return map;
  };
  const where = (site) => {
    const name = site.getFileName();
    const at = name?.indexOf(folder) ?? -1;
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (at === -1 || line === null || column === null) return undefined;
    const found = mapOf(name.slice(at + folder.length));
    const entry = found?.map.findEntry(line - 1, column - 1);
    if (entry?.originalSource === undefined) return undefined;
    return {
      generated: `${name}:${line}:${column}`,
      original: `${resolve(found.from, entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`,
    };
  };
  // Node's own formatting (Node 20.20, 22 and 24 expose it here); V8's where a Node does not.
  const format = Error.prepareStackTrace ?? ((error, sites) => `${error}${sites.map((s) => `\n    at ${s}`).join('')}`);
  let busy = false;
  Error.prepareStackTrace = (error, sites) => {
    const plain = format(error, sites);
    if (busy || typeof plain !== 'string') return plain;
    busy = true;
    try {
      // The frames are the last lines, one a call site: each of the bundle's names its source instead.
      const lines = plain.split('\n');
      const first = lines.length - sites.length;
      if (first < 1) return plain;
      for (let i = 0; i < sites.length; i++) {
        const w = where(sites[i]);
        if (w !== undefined) lines[first + i] = lines[first + i].replace(w.generated, w.original);
      }
      return lines.join('\n');
    } catch {
      return plain;
    } finally {
      busy = false;
    }
  };
}

/** Compiles the sources into `dir`, built aside and renamed: processes never load half a bundle. */
function build(esbuild, root, dir, cache) {
  const part = `${dir}.${process.pid}.tmp`;
  rmSync(part, { recursive: true, force: true });
  esbuild.buildSync({
    entryPoints: { cli: join(root, 'src', 'cli.ts'), 'render-worker': join(root, 'src', 'charts', 'render-worker.mjs') },
    outdir: part,
    bundle: true,
    // The commands' and the renderer's lazy imports stay lazy, as chunks.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // The bundled packages' CommonJS calls require(): ESM has none of its own.
    banner: { js: "import { createRequire as __goldratioRequire } from 'node:module'; const require = __goldratioRequire(import.meta.url);" },
    // Stack traces name src/ files and lines (mapStacks; the files are there, and a map without
    // their text is a tenth of the size).
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
  });
  writeFileSync(join(part, ROOT_FILE), resolve(root));
  try {
    renameSync(part, dir);
  } catch (e) {
    rmSync(part, { recursive: true, force: true });
    // Another process finished the same bundle first (one whose lock was taken over as stale).
    if (!existsSync(join(dir, 'cli.mjs'))) throw e;
  }
  prune(cache, dir, resolve(root));
}

/** How long a build may hold its lock before another process takes it over (one takes 1-3 s). */
const LOCK_STALE_MS = 30_000;

/**
 * Takes the build's lock (true: another process built the bundle meanwhile, nothing to do; false:
 * this process holds the lock and builds). Waits while another process holds it, polling for the
 * bundle, and takes it over if its holder died: at once when the holder was a process of this
 * machine that is gone (a Ctrl-C during the first start's build), else once the folder is older
 * than LOCK_STALE_MS (a holder on another machine sharing the folder, or one that died before it
 * wrote its name). Synchronous: it runs before anything else is started.
 */
function awaitBuilder(lock, entry) {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 4 * LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      try {
        writeFileSync(join(lock, 'holder'), `${hostname()} ${process.pid}\n`);
      } catch {}
      // The bundle may have landed between this process looking for it and taking the lock.
      if (existsSync(entry)) {
        rmSync(lock, { recursive: true, force: true });
        return true;
      }
      return false;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    if (existsSync(entry)) return true;
    try {
      if (holderGone(lock) || Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
    } catch {}
    Atomics.wait(nap, 0, 0, 50);
  }
}

/** Whether the lock's holder (its `holder` file: host and pid) was a process of this machine that no longer runs. */
function holderGone(lock) {
  let host;
  let pid;
  try {
    [host, pid] = readFileSync(join(lock, 'holder'), 'utf8').trim().split(' ');
  } catch {
    return false;
  }
  const n = Number(pid);
  if (host !== hostname() || !Number.isInteger(n) || n <= 0) return false;
  try {
    process.kill(n, 0);
    return false;
  } catch (e) {
    return e.code === 'ESRCH';
  }
}

/**
 * This process runs from `dir` until it exits: parts of the bundle it loads later (the chart
 * renderer at the first chart, pg at the first PostgreSQL connection) must still be there after
 * newer sources were built beside it (an upgrade while the bot runs), so prune keeps a bundle a live
 * process marked. The mark goes when the process exits; one left by a killed process is ignored,
 * and removed, once no process has its id.
 */
function markInUse(dir) {
  try {
    const users = join(dir, 'in-use');
    mkdirSync(users, { recursive: true });
    const mark = join(users, String(process.pid));
    writeFileSync(mark, '');
    process.once('exit', () => rmSync(mark, { force: true }));
  } catch {}
}

/** Whether a live process runs from the bundle at `dir` (markInUse); the marks of dead ones are removed. */
function inUse(dir) {
  let live = false;
  let marks = [];
  try {
    marks = readdirSync(join(dir, 'in-use'));
  } catch {
    return false;
  }
  for (const n of marks) {
    const pid = Number(n);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = Number.isInteger(pid) && pid > 0;
    } catch (e) {
      // Another user's process: alive, only not ours to signal.
      alive = e.code === 'EPERM';
    }
    if (alive) live = true;
    else rmSync(join(dir, 'in-use', n), { force: true });
  }
  return live;
}

function prune(cache, current, root) {
  const names = readdirSync(cache);
  // A build that died half-way leaves its folder aside, and its lock: gone after ten minutes.
  for (const n of names.filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))) {
    if (Date.now() - statSync(join(cache, n)).mtimeMs > 600_000) rmSync(join(cache, n), { recursive: true, force: true });
  }
  const old = names
    .filter((n) => n.startsWith('bundle-') && !n.endsWith('.tmp') && !n.endsWith('.lock') && join(cache, n) !== current)
    .map((n) => ({ p: join(cache, n), t: statSync(join(cache, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  const seen = new Set([root]);
  for (const [i, { p }] of old.entries()) {
    const from = builtFrom(p);
    const othersNewest = from !== undefined && !seen.has(from) && existsSync(join(from, 'src'));
    if (from !== undefined) seen.add(from);
    if (i >= KEEP - 1 && !othersNewest && !inUse(p)) rmSync(p, { recursive: true, force: true });
  }
}

/** The checkout a bundle was built from (ROOT_FILE), or undefined for one built before it was written. */
function builtFrom(dir) {
  try {
    return readFileSync(join(dir, ROOT_FILE), 'utf8');
  } catch {
    return undefined;
  }
}
