/**
 * Chart uploads a platform already holds (a Telegram file_id, a Discord attachment URL), by the
 * chart's cache key: the replica that uploads a chart first records it, and every replica sends
 * that reference afterwards instead of uploading the same PNG again. The same queries on SQLite
 * and PostgreSQL.
 */
import type { StoreDb } from './engine.ts';
import type { Platform } from '../domain/platform.ts';

export class ChartUploadStore {
  readonly #db: StoreDb;

  constructor(db: StoreDb) {
    this.#db = db;
  }

  async get(platform: Platform, chartKey: string): Promise<string | undefined> {
    const r = await this.#db.k.selectFrom('chart_uploads').select('ref').where('platform', '=', platform).where('chart_key', '=', chartKey).executeTakeFirst();
    return r?.ref;
  }

  /**
   * Records an upload. Two replicas uploading the same chart at once both succeed; the first
   * recorded wins and is returned, so both go on sending the same reference.
   */
  async remember(platform: Platform, chartKey: string, ref: string, nowMs: number = Date.now()): Promise<string> {
    await this.#db.k
      .insertInto('chart_uploads')
      .values({ platform, chart_key: chartKey, ref, created_at: nowMs })
      .onConflict((oc) => oc.columns(['platform', 'chart_key']).doNothing())
      .execute();
    return (await this.get(platform, chartKey)) ?? ref;
  }

  /** Forgets the charts of data versions that are gone (keys not in `keep`); returns how many. */
  async forgetExcept(keep: readonly string[]): Promise<number> {
    let q = this.#db.k.deleteFrom('chart_uploads');
    if (keep.length > 0) q = q.where('chart_key', 'not in', keep);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
