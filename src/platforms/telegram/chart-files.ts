/**
 * file_id per chart key, shared by the command replies and the inline answers: a chart the bot
 * has sent once is resent by id (and offered inline as a cached photo), not uploaded again. A
 * chart's key changes with the data version, so an old id is never shown for new data. With
 * replicas (`shared`: the database's record of uploads) a file_id one replica got is used by all:
 * a chart is uploaded once per deployment, and any replica offers it inline.
 */
import type { SharedUploads } from '../../alerts/upload-once.ts';
import type { Logger } from '../../log.ts';

/** Replies' charts in the shared record, apart from the alerts' (keyed by message and content). */
const PREFIX = 'reply:';

export class ChartFileCache {
  readonly #ids = new Map<string, string>();
  readonly #max: number;
  readonly #shared: Pick<SharedUploads, 'peek' | 'remember' | 'forget'> | undefined;
  readonly #log: Logger | undefined;

  constructor(max = 200, shared?: { readonly uploads: Pick<SharedUploads, 'peek' | 'remember' | 'forget'>; readonly log: Logger }) {
    this.#max = max;
    this.#shared = shared?.uploads;
    this.#log = shared?.log;
  }

  /** Known here, or recorded by another replica (then kept here too); undefined when neither, or the record cannot be read. */
  async get(key: string): Promise<string | undefined> {
    const id = this.#ids.get(key);
    if (id !== undefined || this.#shared === undefined) return id;
    try {
      const found = await this.#shared.peek(PREFIX + key);
      if (found !== undefined) this.#keep(key, found);
      return found;
    } catch (e) {
      // The chart is uploaded again: a cost, never a failed answer.
      this.#log?.warn(`chart file_id not read from the database: ${(e as Error).message}`);
      return undefined;
    }
  }

  set(key: string, id: string | undefined): void {
    // A chart sent by its file_id comes back with the same one: nothing new to record.
    if (id === undefined || this.#ids.get(key) === id) return;
    this.#keep(key, id);
    this.#shared?.remember(PREFIX + key, id).catch((e: unknown) => this.#log?.warn(`chart file_id not recorded in the database: ${(e as Error).message}`));
  }

  /** Telegram refused `id` (notifier.ts staleFileId): it goes, here and in the shared record, and the chart is uploaded again. */
  async forget(key: string, id: string): Promise<void> {
    if (this.#ids.get(key) === id) this.#ids.delete(key);
    try {
      await this.#shared?.forget(PREFIX + key, id);
    } catch (e) {
      this.#log?.warn(`a refused chart file_id not removed from the database: ${(e as Error).message}`);
    }
  }

  #keep(key: string, id: string): void {
    this.#ids.delete(key);
    this.#ids.set(key, id);
    if (this.#ids.size > this.#max) this.#ids.delete(this.#ids.keys().next().value as string);
  }
}
