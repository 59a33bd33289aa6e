/**
 * Chart uploads a platform already holds (a Telegram file_id, a Discord attachment URL), by the
 * chart's key: the replica that uploads a chart first records it, and every replica sends that
 * reference afterwards instead of uploading the same PNG again. While the first upload is in
 * flight its row holds an empty ref (a claim, with its start in created_at), so a second replica
 * waits for it rather than uploading too; a claim older than the lease is taken over (the uploader
 * died). The same queries on SQLite and PostgreSQL.
 */
import type { StoreDb } from './engine.ts';
import type { Platform } from '../domain/platform.ts';

/** What `begin` says: upload it yourself, reuse this ref, or wait for the upload in flight elsewhere. */
export type UploadTurn = { readonly upload: true } | { readonly ref: string } | { readonly wait: true };

const IN_FLIGHT = '';

export class ChartUploadStore {
  readonly #db: StoreDb;

  constructor(db: StoreDb) {
    this.#db = db;
  }

  /** The stored reference, if the chart was uploaded (not while its upload is in flight). */
  async get(platform: Platform, chartKey: string): Promise<string | undefined> {
    const r = await this.#db.k.selectFrom('chart_uploads').select('ref').where('platform', '=', platform).where('chart_key', '=', chartKey).executeTakeFirst();
    return r === undefined || r.ref === IN_FLIGHT ? undefined : r.ref;
  }

  /**
   * Asks to upload a chart: the first asker (or the first after an upload in flight for longer
   * than `leaseMs`, or after a ref older than `maxAgeMs`) gets `upload`, later ones the stored ref
   * or `wait`. Each step is one atomic statement, so two replicas asking at once never both get `upload`.
   */
  async begin(platform: Platform, chartKey: string, nowMs: number, leaseMs: number, maxAgeMs?: number): Promise<UploadTurn> {
    const k = this.#db.k;
    const mine = await k
      .insertInto('chart_uploads')
      .values({ platform, chart_key: chartKey, ref: IN_FLIGHT, created_at: nowMs })
      .onConflict((oc) => oc.columns(['platform', 'chart_key']).doNothing())
      .executeTakeFirst();
    if (Number(mine.numInsertedOrUpdatedRows ?? 0n) > 0) return { upload: true };
    const taken = await k
      .updateTable('chart_uploads')
      .set({ ref: IN_FLIGHT, created_at: nowMs })
      .where('platform', '=', platform)
      .where('chart_key', '=', chartKey)
      .where((eb) =>
        eb.or([
          eb.and([eb('ref', '=', IN_FLIGHT), eb('created_at', '<=', nowMs - leaseMs)]),
          // A reference too old to reuse (`maxAgeMs`: an attachment URL that expires) is uploaded again.
          ...(maxAgeMs === undefined ? [] : [eb.and([eb('ref', '<>', IN_FLIGHT), eb('created_at', '<', nowMs - maxAgeMs)])]),
        ]),
      )
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) > 0) return { upload: true };
    const ref = await this.get(platform, chartKey);
    return ref === undefined ? { wait: true } : { ref };
  }

  /**
   * Records an upload. Two replicas uploading the same chart (one took over a claim that had run
   * out) both succeed; the first recorded wins and is returned, so both go on sending the same reference.
   */
  async remember(platform: Platform, chartKey: string, ref: string, nowMs: number = Date.now()): Promise<string> {
    await this.#db.k
      .insertInto('chart_uploads')
      .values({ platform, chart_key: chartKey, ref, created_at: nowMs })
      .onConflict((oc) => oc.columns(['platform', 'chart_key']).doUpdateSet({ ref, created_at: nowMs }).where('chart_uploads.ref', '=', IN_FLIGHT))
      .execute();
    return (await this.get(platform, chartKey)) ?? ref;
  }

  /**
   * The platform refused this reference (a file_id of another bot: the database was moved to a new
   * token's bot): it goes, unless another replica has already recorded a new one.
   */
  async forget(platform: Platform, chartKey: string, ref: string): Promise<void> {
    await this.#db.k.deleteFrom('chart_uploads').where('platform', '=', platform).where('chart_key', '=', chartKey).where('ref', '=', ref).execute();
  }

  /** An upload in flight failed: the next asker uploads at once. */
  async abandon(platform: Platform, chartKey: string): Promise<void> {
    await this.#db.k.deleteFrom('chart_uploads').where('platform', '=', platform).where('chart_key', '=', chartKey).where('ref', '=', IN_FLIGHT).execute();
  }
}
