/**
 * How a platform says, at the moment it happens, that what decides whether its bot's token is
 * refused changed: rung by the part that met it (a send's 401 and the send taken again, polling's
 * getUpdates 401, the gateway's 4004, a leader's start of polling refused, a lead let go). Who
 * listens (platforms/adapter.ts tokenEvents) reads the platform's /readyz line then and says
 * "refused" or "taken again" only when that changed, so a part may ring whenever it is unsure.
 */
export class TokenBell {
  readonly #listeners = new Set<() => void>();

  ring(): void {
    for (const l of [...this.#listeners]) l();
  }

  /** Calls `listener` at each ring; returns what stops it. */
  listen(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
