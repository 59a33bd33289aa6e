/**
 * Readiness: a list of named checks main.ts registers (database open, each enabled platform
 * connected, quotes fresh enough for their schedule). Each returns undefined when fine or the
 * reason it is not; /readyz answers 503 with every reason.
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
}

export interface Readiness {
  add(check: ReadinessCheck): void;
  evaluate(): Promise<{ ready: boolean; reasons: string[] }>;
}

export function createReadiness(checks: ReadinessCheck[] = []): Readiness {
  const all = [...checks];
  return {
    add: (c) => void all.push(c),
    async evaluate() {
      const reasons: string[] = [];
      const failed = new Set<string>();
      for (const c of all) {
        if (c.dependsOn !== undefined && failed.has(c.dependsOn)) continue;
        let why: string | undefined;
        try {
          why = await c.check();
        } catch (e) {
          why = `check failed: ${e instanceof Error ? e.message : String(e)}`;
        }
        if (why === undefined) continue;
        failed.add(c.name);
        reasons.push(`${c.name}: ${why}`);
      }
      return { ready: reasons.length === 0, reasons };
    },
  };
}
