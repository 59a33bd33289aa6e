/**
 * Rendered charts kept on disk (DATA_DIR/charts-cache), so a restart serves the charts of the
 * current data without drawing them again: a burst right after a restart would otherwise wait
 * behind dozens of renders. One folder per generation (data version + a fingerprint of the data
 * and of the code that draws); writing into a new generation removes the others.
 *
 * The disk is a help, never a need: a file that is not a whole PNG is ignored (one warn line)
 * and drawn again; a folder that cannot be created or written is one warn line, and the charts
 * are then kept in memory only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { makeDirs } from '../make-dirs.ts';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The IEND chunk (length 0, type, CRC) every complete PNG ends with: a cut file lacks it. */
const IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

export class ChartDiskCache {
  readonly dir: string;
  readonly #log: Pick<Logger, 'warn'>;
  /** Set after the first write failure: later writes are not tried (nor warned about) again. */
  #writable = true;
  /** An unreadable folder would otherwise say so once per chart. */
  #readWarned = false;
  #pruned: string | undefined;
  readonly #pending = new Set<Promise<void>>();

  constructor(dir: string, log: Pick<Logger, 'warn'>) {
    this.dir = dir;
    this.#log = log;
  }

  /** The PNG stored for `name` in `generation`, or undefined (none, unreadable, or not a whole PNG). */
  async read(generation: string, name: string): Promise<Buffer | undefined> {
    const path = this.#path(generation, name);
    let png: Buffer;
    try {
      png = await readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && !this.#readWarned) {
        this.#readWarned = true;
        this.#log.warn(`chart cache: cannot read ${path} (${code ?? (e as Error).message}); drawing the charts it cannot read again`);
      }
      return undefined;
    }
    if (png.length < SIGNATURE.length + IEND.length || !png.subarray(0, 8).equals(SIGNATURE) || !png.subarray(-IEND.length).equals(IEND)) {
      this.#log.warn(`chart cache: ignoring ${path}, not a whole PNG (${png.length} bytes); drawing it again`);
      await rm(path, { force: true }).catch(() => undefined);
      return undefined;
    }
    return png;
  }

  /**
   * Stores a PNG atomically (a temp file renamed into place: a reader sees the whole file or
   * none). Never throws; the first failure says so once and turns writing off.
   */
  write(generation: string, name: string, png: Buffer): Promise<void> {
    if (!this.#writable) return Promise.resolve();
    const job = this.#write(generation, name, png).finally(() => this.#pending.delete(job));
    this.#pending.add(job);
    return job;
  }

  /** Settles when the writes begun so far are done (stop, tests). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  async #write(generation: string, name: string, png: Buffer): Promise<void> {
    const folder = join(this.dir, generation);
    const tmp = join(folder, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      makeDirs(folder);
      await writeFile(tmp, png);
      await rename(tmp, this.#path(generation, name));
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      if (!this.#writable) return;
      this.#writable = false;
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      this.#log.warn(`chart cache: cannot write in ${this.dir} (${code}); charts are kept in memory only until a restart`);
      return;
    }
    if (this.#pruned !== generation) {
      this.#pruned = generation;
      await this.#prune(generation);
    }
  }

  /** Removes every other generation (older data, other code) and temp files a crash left behind. */
  async #prune(keep: string): Promise<void> {
    const entries = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(entries.filter((e) => e !== keep).map((e) => rm(join(this.dir, e), { recursive: true, force: true }).catch(() => undefined)));
    const mine = await readdir(join(this.dir, keep)).catch(() => [] as string[]);
    const stale = mine.filter((f) => f.endsWith('.tmp') && !f.includes(`.${process.pid}.`));
    await Promise.all(stale.map((f) => rm(join(this.dir, keep, f), { force: true }).catch(() => undefined)));
  }

  #path(generation: string, name: string): string {
    return join(this.dir, generation, `${name}.png`);
  }
}

let code: string | undefined;

/**
 * A fingerprint of the code that draws charts (every source file, catalogues included): charts
 * stored by another version of goldratio are not served, they are drawn again. Memoized: the code
 * does not change under a running process.
 */
export function codeFingerprint(): string {
  code ??= codeFingerprintAt(import.meta.url);
  return code;
}

/** The bin's bundle folder (bin/bundle.js): `bundle-` and its key, a fingerprint of src/. */
const BUNDLE_FOLDER = /^bundle-([0-9a-f]{16})$/;

/**
 * The fingerprint of the code a module at `moduleUrl` belongs to. In the bin's bundle, the bundle
 * folder's key: bin/bundle.js made it from every source file's path, size and modification time,
 * and an edited source runs from a new folder, so it changes with the code; hashing the bundle's
 * own files read 8 MB at a process's first chart. From the sources (tsx, the tests), a hash of
 * every file under src/. Exported for the tests.
 */
export function codeFingerprintAt(moduleUrl: string): string {
  const here = fileURLToPath(new URL('.', moduleUrl));
  const bundle = BUNDLE_FOLDER.exec(basename(here));
  if (bundle !== null) return bundle[1]!;
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mjs|js|json)$/.test(n)) hash.update(n).update(readFileSync(p));
    }
  };
  // From src/charts/disk-cache.ts, the sources are the folder above; another bundle of them (a
  // test's child script), its own folder.
  walk(moduleUrl.endsWith('.ts') ? join(here, '..') : here);
  return hash.digest('hex').slice(0, 12);
}

/** A chart's file name: readable, and a hash so that keys differing only in punctuation do not collide. */
export function fileName(key: string): string {
  const readable = key.replaceAll(/[^A-Za-z0-9.-]+/g, '-').slice(0, 80);
  return `${readable}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

/** DATA_DIR/charts-cache when CHART_CACHE is on (the default). */
export function chartDiskCache(config: Pick<Config, 'dataDir' | 'chartCache'>, log: Pick<Logger, 'warn'>): ChartDiskCache | undefined {
  return config.chartCache ? new ChartDiskCache(join(config.dataDir, 'charts-cache'), log) : undefined;
}
