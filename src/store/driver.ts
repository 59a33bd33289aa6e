/**
 * The SQLite driver, picked once when this module loads, by the running Node's major version.
 * The only file that loads better-sqlite3 (a wall in .dependency-cruiser.cjs keeps it in store/).
 *
 * Two majors of better-sqlite3 are installed side by side (package.json):
 * - `better-sqlite3` 12 for Node 20: it aborts the process under Node 24 when statements and
 *   databases are finalised at exit ("Assertion failed: (env) != nullptr" in
 *   node::RemoveEnvironmentCleanupHook; WiseLibs/better-sqlite3#1515, not fixed in 12.x).
 * - `better-sqlite3-13` (an npm alias of better-sqlite3 13) for Node 22 and later: Node-API,
 *   prebuilt binaries in the package, the abort fixed; it needs Node >= 22 and crashes under 20.
 * Both have the same API, typed by @types/better-sqlite3.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

type Driver = typeof BetterSqlite3;
export type SqliteDatabase = BetterSqlite3.Database;

const require = createRequire(import.meta.url);

/** The major version of the Node running this process. */
export const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** Why this Node, which wants better-sqlite3 13, runs 12: 13 not installed, or installed and failing to load (its message). */
export type Without13 = { readonly missing: true } | { readonly missing: false; readonly error: string };

function load(): { readonly Database: Driver; readonly packageName: string; readonly without13?: Without13 } {
  if (NODE_MAJOR >= 22) {
    try {
      return { Database: require('better-sqlite3-13') as Driver, packageName: 'better-sqlite3-13' };
    } catch (e) {
      // Not installed (an optional dependency: an install on Node 20 leaves it out) or no binary for
      // this platform: 12 works on 22 (not on 24; see above).
      const missing = (e as { code?: unknown }).code === 'MODULE_NOT_FOUND' && /'better-sqlite3-13'/.test((e as Error).message);
      const without13: Without13 = missing ? { missing } : { missing, error: (e as Error).message.split('\n')[0] ?? '' };
      return { Database: require('better-sqlite3') as Driver, packageName: 'better-sqlite3', without13 };
    }
  }
  return { Database: require('better-sqlite3') as Driver, packageName: 'better-sqlite3' };
}

const loaded = load();

/**
 * What to say at start when the running Node wants better-sqlite3 13 and 12 runs instead (node_modules
 * installed on Node 20, then `npm rebuild` on 24: 12 loads, and aborts the process as it exits): one
 * line naming what to run, or undefined when the right driver runs. Pure: the Node and the reason in.
 */
export function driverAdvice(nodeMajor: number, without13: Without13 | undefined): string | undefined {
  if (nodeMajor < 22 || without13 === undefined) return undefined;
  const instead = `better-sqlite3 12 runs instead${nodeMajor >= 24 ? `, which on Node ${nodeMajor} can abort the process as it exits (WiseLibs/better-sqlite3#1515)` : ''}`;
  return without13.missing
    ? `the SQLite driver for Node ${nodeMajor} (better-sqlite3-13) is not installed (node_modules was installed on an older Node): ${instead}; run \`npm install\` to add it`
    : `the SQLite driver for Node ${nodeMajor} (better-sqlite3-13) could not be loaded (${without13.error}): ${instead}; run \`npm rebuild better-sqlite3-13\`, or \`npm install\``;
}

/** driverAdvice for this process: said once by whatever opens the database first (start, a command). */
export const DRIVER_ADVICE: string | undefined = driverAdvice(NODE_MAJOR, loaded.without13);

/**
 * The driver's native binding is missing or was built for another Node: what a user sees after an
 * install whose scripts did not run (npm 12 without allowScripts, `--ignore-scripts`) or after
 * switching Node. One line that says what to do; the loader's own message is the cause.
 */
export class SqliteDriverError extends Error {
  constructor(packageName: string, what: 'not built' | 'built for another Node', options?: ErrorOptions & { readonly without13?: boolean }) {
    const where = what === 'not built' ? 'was not built' : `was built for another Node than this one (${process.version})`;
    // Installed on Node 20, run on 22 or later: the optional better-sqlite3-13 (this Node's) was left out.
    const todo = options?.without13 === true ? '`npm install` (it adds better-sqlite3-13, the driver for this Node)' : `\`npm rebuild ${packageName}\``;
    super(`the SQLite driver (${packageName}) ${where}: run ${todo}`, options);
    this.name = 'SqliteDriverError';
  }
}

/** The better-sqlite3 loads its binding on the first `new Database`, so that is where this is told. */
function bindingProblem(e: unknown): 'not built' | 'built for another Node' | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : '';
  if (code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION/.test(message)) return 'built for another Node';
  if (/Could not locate the bindings file/.test(message)) return 'not built';
  if (code === 'MODULE_NOT_FOUND' && /better_sqlite3(\.node)?'/.test(message)) return 'not built';
  return undefined;
}

const Loaded: Driver = loaded.Database;

/** The Database class of the driver picked for this Node (a missing binding is a SqliteDriverError). */
export const Database = class Database extends Loaded {
  constructor(...args: ConstructorParameters<Driver>) {
    try {
      super(...args);
    } catch (e) {
      const problem = bindingProblem(e);
      if (problem === undefined) throw e;
      throw new SqliteDriverError(loaded.packageName, problem, { cause: e, ...(loaded.without13 === undefined ? {} : { without13: true }) });
    }
  }
} as Driver;

/** Which driver was picked: the installed package's folder name and its better-sqlite3 version. */
export const SQLITE_DRIVER: { readonly packageName: string; readonly version: string } = {
  packageName: loaded.packageName,
  version: (require(`${loaded.packageName}/package.json`) as { version: string }).version,
};
