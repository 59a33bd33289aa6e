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
import { boundText, oneInFlight, PROBE_BOUND_MS } from './bound.ts';
import { NO_ANSWER } from '../within.ts';

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
  /**
   * A freshness check was left unasked, its dependency failing (the database down), or gave no answer
   * within the bound: whether the data is fresh is not known.
   */
  readonly freshUnknown: boolean;
}

export interface Readiness {
  add(check: ReadinessCheck): void;
  /**
   * Asks the checks (all, or with `freshnessOnly` the `freshness` ones and the checks they read
   * through, for goldratio_quotes_stale) and answers within the bound (PROBE_BOUND_MS): a check
   * that has not answered by then is a reason, "no answer within 0.8 s".
   */
  evaluate(o?: { readonly freshnessOnly?: boolean }): Promise<Evaluation>;
}

/** /freshz's reason before any freshness check is there to ask. */
export const NOT_ASKED = 'quotes: not checked yet (still starting)';

export function createReadiness(checks: ReadinessCheck[] = [], o: { readonly boundMs?: number } = {}): Readiness {
  const boundMs = o.boundMs ?? PROBE_BOUND_MS;
  const all: { check: ReadinessCheck; ask: () => Promise<string | undefined> }[] = [];
  const add = (c: ReadinessCheck) =>
    void all.push({
      check: c,
      // A check still waiting from an earlier probe is not asked again until it answers: probes
      // arriving together share one query, and a silent database keeps one query waiting, not one
      // more at every probe (bound.ts oneInFlight).
      ask: oneInFlight(async () => {
        try {
          return await c.check();
        } catch (e) {
          return `check failed: ${e instanceof Error ? e.message : String(e)}`;
        }
      }),
    });
  for (const c of checks) add(c);
  return {
    add,
    async evaluate(opts = {}) {
      // The checks there now: one added while this evaluation waits (the start adding the quotes'
      // check during a probe) is asked by the next, not met here with no outcome.
      let asked = [...all];
      if (opts.freshnessOnly === true) {
        // The freshness checks and, transitively, what they read through (the database): not the platforms.
        const wanted = new Set(all.filter((a) => a.check.kind === 'freshness').map((a) => a.check.name));
        for (const a of all.toReversed()) if (wanted.has(a.check.name) && a.check.dependsOn !== undefined) wanted.add(a.check.dependsOn);
        asked = all.filter((a) => wanted.has(a.check.name));
      }
      // One deadline for the whole answer: independent checks are asked side by side, a check that
      // reads through another once that one has answered, each given what is left of the bound.
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<typeof NO_ANSWER>((resolve) => {
        timer = setTimeout(() => resolve(NO_ANSWER), boundMs);
      });
      type Outcome = { readonly why: string | undefined; readonly unanswered?: true } | { readonly blockedBy: string };
      const outcomes = new Map<string, Promise<Outcome>>();
      for (const { check: c, ask } of asked) {
        const dependency = c.dependsOn === undefined ? undefined : outcomes.get(c.dependsOn);
        outcomes.set(
          c.name,
          (async (): Promise<Outcome> => {
            const before = await dependency;
            if (before !== undefined) {
              const failed = 'blockedBy' in before ? before.blockedBy : before.why === undefined ? undefined : `${c.dependsOn}: ${before.why}`;
              if (failed !== undefined) return { blockedBy: failed };
            }
            const why = await Promise.race([ask(), deadline]);
            return why === NO_ANSWER ? { why: `no answer within ${boundText(boundMs)}`, unanswered: true } : { why };
          })(),
        );
      }
      const reasons: string[] = [];
      const warnings: string[] = [];
      const staleness: string[] = [];
      let freshUnknown = false;
      try {
        for (const { check: c } of asked) {
          const freshness = c.kind === 'freshness';
          const outcome = await outcomes.get(c.name)!;
          if ('blockedBy' in outcome) {
            if (freshness) freshUnknown = true;
            if (freshness && !staleness.includes(outcome.blockedBy)) staleness.push(outcome.blockedBy);
            continue;
          }
          if (outcome.why === undefined) continue;
          // A freshness check that did not answer in time says nothing about the quotes either way.
          if (freshness && outcome.unanswered === true) freshUnknown = true;
          const line = `${c.name}: ${outcome.why}`;
          if (freshness) {
            warnings.push(line);
            staleness.push(line);
          } else reasons.push(line);
        }
      } finally {
        clearTimeout(timer);
      }
      // No freshness check yet (the process still starting, before the quotes' check is added):
      // whether the data is fresh is not known, never said "fresh" for not having asked.
      if (!asked.some((a) => a.check.kind === 'freshness')) {
        freshUnknown = true;
        staleness.push(NOT_ASKED);
      }
      return { ready: reasons.length === 0, reasons, warnings, fresh: staleness.length === 0, staleness, freshUnknown };
    },
  };
}
