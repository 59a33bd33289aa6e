/**
 * npm 12 runs a dependency's install scripts only when package.json's `allowScripts` approves it
 * (npm 11 reads the field and only warns). Approve exactly what the lockfile says has an install
 * script, by the package's registry name (an npm alias such as better-sqlite3-13 resolves to
 * better-sqlite3): one missing leaves the SQLite driver unbuilt, one extra runs code nobody reviewed.
 * `.ci/run` installs with `npm@12 ci --strict-allow-scripts`, so a new one fails CI before a user.
 */
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';

interface LockEntry {
  readonly name?: string;
  readonly hasInstallScript?: boolean;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };

test('GIVEN the lockfile WHEN npm 12 installs THEN allowScripts approves exactly the packages with install scripts', () => {
  const withScripts = new Set<string>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (entry.hasInstallScript !== true) continue;
    withScripts.add(entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  }
  expect([...withScripts].sort()).toEqual(['better-sqlite3', 'esbuild']);
  expect(pkg.allowScripts).toEqual(Object.fromEntries([...withScripts].sort().map((n) => [n, true])));
});
