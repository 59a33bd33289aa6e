/**
 * The ids Discord gave this application's registered commands, so a reply can name a command as a
 * command mention (`</subscribe:id>`, render.ts commandForm): Discord draws it clickable and in the
 * reader's own locale. Learnt from the registration's answer, or asked once at start when the
 * commands were registered before (client.ts); until then, or when that fails, replies name a
 * command as the chat's language shows it in the menu.
 */
export class CommandIds {
  readonly #ids = new Map<string, string>();

  /** name → id, as known now (empty until learnt). */
  get map(): ReadonlyMap<string, string> {
    return this.#ids;
  }

  /** Learns from Discord's list of application commands (the answer to PUT or GET …/commands); anything else is ignored. */
  learn(answer: unknown): void {
    if (!Array.isArray(answer)) return;
    const next = new Map<string, string>();
    for (const c of answer as { name?: unknown; id?: unknown; type?: unknown }[]) {
      // Chat input commands only (type 1, the default): a user or message command has no mention.
      if (typeof c?.name === 'string' && typeof c.id === 'string' && (c.type === undefined || c.type === 1)) next.set(c.name, c.id);
    }
    this.#ids.clear();
    for (const [k, v] of next) this.#ids.set(k, v);
  }
}
