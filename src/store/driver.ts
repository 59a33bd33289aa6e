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

function load(): { readonly Database: Driver; readonly packageName: string } {
  if (NODE_MAJOR >= 22) {
    try {
      return { Database: require('better-sqlite3-13') as Driver, packageName: 'better-sqlite3-13' };
    } catch {
      // Not installed or no binary for this platform: 12 works on 22 (not on 24; see above).
    }
  }
  return { Database: require('better-sqlite3') as Driver, packageName: 'better-sqlite3' };
}

const loaded = load();

/** The Database class of the driver picked for this Node. */
export const Database: Driver = loaded.Database;

/** Which driver was picked: the installed package's folder name and its better-sqlite3 version. */
export const SQLITE_DRIVER: { readonly packageName: string; readonly version: string } = {
  packageName: loaded.packageName,
  version: (require(`${loaded.packageName}/package.json`) as { version: string }).version,
};
