/**
 * A folder and its missing parents, as `mkdir -p`, made one level at a time. Not
 * `mkdirSync(path, { recursive: true })`: where mkdir answers ENOENT for a parent that exists (under
 * /proc, on some FUSE mounts) Node's recursive mkdir retries forever at 100% CPU, so
 * `DATA_DIR=/proc/x goldratio digest --preview` never came back. Here the first refusal is thrown,
 * with its code (ENOENT, EACCES, ENOTDIR when a file stands where a folder is asked for).
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

function isFolder(path: string): boolean | undefined {
  try {
    return statSync(path).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    const folder = isFolder(p);
    if (folder === true) break;
    if (folder === false) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: 'ENOTDIR', path: p });
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      // Made meanwhile by another process: what was asked for is there.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || isFolder(dir) !== true) throw e;
    }
  }
}
