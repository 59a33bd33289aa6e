/**
 * The ids Discord gave this application's registered commands, so a reply can name a command as a
 * command mention (`</subscribe:id>`, render.ts commandForm): Discord draws it clickable and in the
 * reader's own locale. Learnt from the registration's answer, or asked once at start when the
 * commands were registered before (client.ts); until then, or when that fails, replies name a
 * command as the chat's language shows it in the menu.
 *
 * Two scopes. The global commands (what `start` registers) are named everywhere by their global
 * id. A server may also have its own registration (`goldratio deploy-commands --guild ID`, for
 * testing a definition there at once): its ids are not asked at start (that would be a request per
 * server), but each command used there brings its own id (`data.id`, with `data.guild_id`), and the
 * first one used there has that server's list asked once (client.ts). In that server its own
 * registration's id comes first: it is the definition the operator deployed there, and what the
 * menu there shows first; a name it lacks falls back to the global id (a mention of either works).
 *
 * An id can go stale: another process re-registers the commands and Discord gives new ids. A
 * command used with an id other than the one known (or a name not known) says so: the scope's ids
 * are forgotten at once, so replies fall back to the menu name rather than print a dead mention,
 * and the scope's list is asked again (client.ts: one request at a time, not more often than
 * REFRESH_MIN_MS).
 */
export class CommandIds {
  readonly #ids = new Map<string, string>();
  readonly #guilds = new Map<string, Map<string, string>>();

  /** name → global id, as known now (empty until learnt, or after it went stale). */
  get map(): ReadonlyMap<string, string> {
    return this.#ids;
  }

  /** Learns from Discord's list of application commands (the answer to PUT or GET …/commands); anything else is ignored. */
  learn(answer: unknown, guildId?: string): void {
    if (!Array.isArray(answer)) return;
    const next = new Map<string, string>();
    for (const c of answer as { name?: unknown; id?: unknown; type?: unknown }[]) {
      // Chat input commands only (type 1, the default): a user or message command has no mention.
      if (typeof c?.name === 'string' && typeof c.id === 'string' && (c.type === undefined || c.type === 1)) next.set(c.name, c.id);
    }
    const into = guildId === undefined ? this.#ids : this.#guild(guildId);
    into.clear();
    for (const [k, v] of next) into.set(k, v);
  }

  /** The ids a reply in `guildId` (or outside any server) names commands by: the server's own, then the global ones. */
  forGuild(guildId: string | null | undefined): ReadonlyMap<string, string> {
    const own = guildId == null ? undefined : this.#guilds.get(guildId);
    if (own === undefined || own.size === 0) return this.#ids;
    return new Map([...this.#ids, ...own]);
  }

  /**
   * A command was used: `id` is the one Discord sent (`data.id`), `guildId` its `data.guild_id`
   * (a server's own registration) or undefined (a global command). Returns what the caller should
   * do: 'fresh' (as known), 'learnt' (a server's first command: its list is worth asking),
   * or 'stale' (another id or an unknown name: the scope's ids are forgotten, its list worth asking).
   */
  seen(name: string, id: string, guildId?: string): 'fresh' | 'learnt' | 'stale' {
    if (guildId !== undefined) {
      const known = this.#guilds.get(guildId);
      if (known === undefined) {
        this.#guild(guildId).set(name, id);
        return 'learnt';
      }
      if (known.get(name) === id) return 'fresh';
      known.clear();
      known.set(name, id);
      return 'stale';
    }
    const known = this.#ids.get(name);
    if (known === id) return 'fresh';
    this.#ids.clear();
    this.#ids.set(name, id);
    return 'stale';
  }

  #guild(guildId: string): Map<string, string> {
    let m = this.#guilds.get(guildId);
    if (m === undefined) this.#guilds.set(guildId, (m = new Map()));
    return m;
  }
}
