/**
 * The closes a migration removed (019: gold dated a day neither London nor COMEX prices it), noted in
 * meta until an operator is told. `takeRemovedGold` reads and deletes the notes in one statement, so
 * of replicas starting together one alone gets them, and says them once. Only a database that
 * holds such notes is written to.
 */
import { REMOVED_GOLD_PREFIX } from './migrations/019-gold-shut-days.ts';
import type { StoreDb } from './engine.ts';

export interface RemovedClose {
  readonly date: string;
  readonly close: number;
  readonly source: string;
}

export async function takeRemovedGold(db: StoreDb): Promise<RemovedClose[]> {
  // Looked for first, with a read: the DELETE takes the write lock, which another process (an
  // import, a backup) may hold; with no note there is nothing to wait for.
  const noted = await db.k.selectFrom('meta').select('key').where('key', 'like', `${REMOVED_GOLD_PREFIX}%`).limit(1).execute();
  if (noted.length === 0) return [];
  const rows = await db.k.deleteFrom('meta').where('key', 'like', `${REMOVED_GOLD_PREFIX}%`).returning(['key', 'value']).execute();
  return rows
    .map((r) => {
      const space = r.value.indexOf(' ');
      return { date: r.key.slice(REMOVED_GOLD_PREFIX.length), close: Number(r.value.slice(0, space)), source: r.value.slice(space + 1) };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** The one log line saying what went and why (undefined when nothing did). */
export function removedGoldLine(removed: readonly RemovedClose[]): string | undefined {
  if (removed.length === 0) return undefined;
  const rows = removed.map((r) => `${r.date} ${r.close} (${r.source})`).join(', ');
  return `removed ${removed.length} gold close${removed.length === 1 ? '' : 's'} dated a day London does not fix gold nor COMEX settle it: ${rows}; each was an earlier price carried forward, and the ratios of the days after now use the gold price of the day before (alerts and events already decided from them are kept)`;
}
