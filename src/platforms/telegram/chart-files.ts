/**
 * file_id per chart key, shared by the command replies and the inline answers: a chart the bot
 * has sent once is resent by id (and offered inline as a cached photo), not uploaded again. A
 * chart's key changes with the data version, so an old id is never shown for new data.
 */
export class ChartFileCache {
  readonly #ids = new Map<string, string>();
  readonly #max: number;

  constructor(max = 200) {
    this.#max = max;
  }

  get(key: string): string | undefined {
    return this.#ids.get(key);
  }

  set(key: string, id: string | undefined): void {
    if (id === undefined) return;
    this.#ids.delete(key);
    this.#ids.set(key, id);
    if (this.#ids.size > this.#max) this.#ids.delete(this.#ids.keys().next().value as string);
  }
}
