/**
 * Readiness: a list of named checks main.ts registers (database open, each enabled platform
 * connected, quotes fresh enough for their schedule). Each returns undefined when fine or the
 * reason it is not; /readyz answers 503 with every reason.
 */
export interface ReadinessCheck {
  readonly name: string;
  /** undefined = ready; otherwise one line saying why not (a check that reads the store answers later). */
  check(): string | undefined | Promise<string | undefined>;
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
      for (const c of all) {
        let why: string | undefined;
        try {
          why = await c.check();
        } catch (e) {
          why = `check failed: ${e instanceof Error ? e.message : String(e)}`;
        }
        if (why !== undefined) reasons.push(`${c.name}: ${why}`);
      }
      return { ready: reasons.length === 0, reasons };
    },
  };
}
