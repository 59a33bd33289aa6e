/**
 * Readiness: a list of named checks main.ts registers (database open, each enabled platform
 * receiving, not stopping; and the data's freshness). Each returns undefined when fine or the
 * reason it is not.
 *
 * Two questions, kept apart. /readyz asks "can this replica serve?": a reason of a `serve` check
 * makes it 503 (a Kubernetes readiness probe takes the replica out of its Service). /freshz asks
 * "is the data fresh?": a reason of a `freshness` check makes that 503, and /readyz only says it,
 * as a warning line: quotes late after a long weekend's provider outage are the same on every
 * replica, and each still answers commands (with a note of the data's age), so none is taken out.
 */
export interface ReadinessCheck {
  readonly name: string;
  /** undefined = ready; otherwise one line saying why not (a check that reads the store answers later). */
  check(): string | undefined | Promise<string | undefined>;
  /**
   * The check (added before this one) this one reads through, e.g. the database: while that one
   * gives a reason, this one is not asked. Asked, it would fail only for the same cause and repeat
   * it in other words ("check failed: connect ECONNREFUSED" under the database's line).
   */
  readonly dependsOn?: string;
  /** 'serve' (the default): a reason makes /readyz 503. 'freshness': a warning on /readyz, and /freshz 503. */
  readonly kind?: 'serve' | 'freshness';
}

export interface Evaluation {
  /** No `serve` check gave a reason: /readyz 200. */
  readonly ready: boolean;
  /** The `serve` checks' reasons, each "name: why". */
  readonly reasons: string[];
  /** The `freshness` checks' reasons: said by /readyz, not counted against it. */
  readonly warnings: string[];
  /**
   * No `freshness` check gave a reason, and none was left unasked: /freshz 200. A freshness check
   * whose dependency failed (the database down) is not known to be fresh.
   */
  readonly fresh: boolean;
  /** Why not fresh: the freshness checks' reasons, or the failed dependency's when that kept one unasked. */
  readonly staleness: string[];
  /** A freshness check was left unasked, its dependency failing (the database down): whether the data is fresh is not known. */
  readonly freshUnknown: boolean;
}

export interface Readiness {
  add(check: ReadinessCheck): void;
  evaluate(): Promise<Evaluation>;
}

export function createReadiness(checks: ReadinessCheck[] = []): Readiness {
  const all = [...checks];
  return {
    add: (c) => void all.push(c),
    async evaluate() {
      const reasons: string[] = [];
      const warnings: string[] = [];
      const staleness: string[] = [];
      const failed = new Map<string, string>();
      let freshUnknown = false;
      for (const c of all) {
        const freshness = c.kind === 'freshness';
        const blocked = c.dependsOn === undefined ? undefined : failed.get(c.dependsOn);
        if (blocked !== undefined) {
          if (freshness) freshUnknown = true;
          if (freshness && !staleness.includes(blocked)) staleness.push(blocked);
          continue;
        }
        let why: string | undefined;
        try {
          why = await c.check();
        } catch (e) {
          why = `check failed: ${e instanceof Error ? e.message : String(e)}`;
        }
        if (why === undefined) continue;
        const line = `${c.name}: ${why}`;
        failed.set(c.name, line);
        if (freshness) {
          warnings.push(line);
          staleness.push(line);
        } else reasons.push(line);
      }
      return { ready: reasons.length === 0, reasons, warnings, fresh: staleness.length === 0, staleness, freshUnknown };
    },
  };
}
