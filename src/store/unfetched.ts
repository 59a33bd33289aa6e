/**
 * The parts of an instrument's history a sync was refused and could not get from any source (a
 * Twelve Data window refused, and the rest refused again: market/sync-closes.ts `unfetched`), kept
 * as a meta note (`market:unfetched:<instrument>`, JSON ranges) so the next backfill asks them again,
 * a restart or another process on the store included: the closes stored on both sides of such a gap
 * hide it from a plan that looks at the first and last stored days only.
 */
import type { InstrumentId } from '../domain/instruments.ts';
import type { StoreDb } from './engine.ts';
import { MetaStore } from './meta.ts';

export interface UnfetchedRange {
  readonly from: string;
  readonly to: string;
}

const key = (instrument: InstrumentId) => `market:unfetched:${instrument}`;

export class UnfetchedStore {
  readonly #meta: MetaStore;

  constructor(db: StoreDb) {
    this.#meta = new MetaStore(db);
  }

  async load(instrument: InstrumentId): Promise<UnfetchedRange[]> {
    return parse(await this.#meta.get(key(instrument)));
  }

  /** Writes `change(the ranges kept)` back: a compare-and-set, so two processes' changes both land. None left is kept as `[]`. */
  async update(instrument: InstrumentId, change: (kept: readonly UnfetchedRange[]) => readonly UnfetchedRange[]): Promise<void> {
    await this.#meta.update(key(instrument), (value) => {
      const text = JSON.stringify(change(parse(value)).map((r) => ({ from: r.from, to: r.to })));
      // The same ranges (none where none was kept among them): nothing written.
      return text === JSON.stringify(parse(value)) ? undefined : text;
    });
  }
}

function parse(value: string | undefined): UnfetchedRange[] {
  if (value === undefined) return [];
  try {
    const v: unknown = JSON.parse(value);
    if (!Array.isArray(v)) return [];
    return v.filter(
      (r): r is UnfetchedRange =>
        typeof r === 'object' && r !== null && typeof (r as UnfetchedRange).from === 'string' && typeof (r as UnfetchedRange).to === 'string',
    );
  } catch {
    return [];
  }
}
