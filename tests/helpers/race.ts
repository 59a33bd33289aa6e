/**
 * Reads before writes, on purpose: two (or more) commands answered at the same moment, each
 * having read what it reads before any of them writes, as on two replicas of one PostgreSQL.
 *
 *   const race = readsFirst(['a', 'b']);
 *   const a = race.deps(deps, 'a');   // its subs.upsert, quiet.set, digests.set, moves.add wait
 *   const b = race.deps(deps, 'b');
 *   await Promise.all([race.run('a', cmd(a)), race.run('b', cmd(b))]);
 *
 * A racer's first write waits until every racer has reached its own (or answered without one);
 * then the racers write one after the other, in the order the names were given (each once the one
 * before it answered), so the test says which write lands last, on either engine. Run each racer's
 * command through `race.run(name, …)`.
 */
import type { ChatDeps } from '../../src/chat/context.ts';

const WRITES: Partial<Record<keyof ChatDeps, readonly string[]>> = {
  subs: ['upsert', 'ensure', 'deactivate'],
  quiet: ['set'],
  digests: ['set'],
  moves: ['add', 'remove'],
};

export interface Race {
  /** `deps` whose writes wait for the other racers' reads. */
  deps(deps: ChatDeps, name: string): ChatDeps;
  /** Wraps one store's named methods for racer `name`. */
  wrap<T extends object>(store: T, methods: readonly string[], name: string): T;
  /** Runs racer `name`'s command: its first write waits for every racer's reads; the next racer writes once it has answered. */
  run<T>(name: string, command: Promise<T>): Promise<T>;
}

export function readsFirst(names: readonly string[]): Race {
  const arrived = new Map<string, () => void>();
  let next = 0;
  const releaseNext = () => {
    const name = names[next++];
    if (name !== undefined) arrived.get(name)!();
  };
  const arrive = (name: string, go: () => void) => {
    arrived.set(name, go);
    if (arrived.size === names.length) releaseNext();
  };
  // A racer's first write waits its turn; its later ones (a new chat's row, then its setting) follow it.
  const turn = (name: string) => (arrived.has(name) ? Promise.resolve() : new Promise<void>((go) => arrive(name, go)));
  const wrap = <T extends object>(store: T, methods: readonly string[], name: string): T =>
    new Proxy(store, {
      get: (s, k) => {
        const v = Reflect.get(s, k) as unknown;
        if (typeof v !== 'function') return v;
        const f = (v as (...a: unknown[]) => unknown).bind(s);
        if (typeof k !== 'string' || !methods.includes(k)) return f;
        return async (...a: unknown[]) => {
          await turn(name);
          return f(...a);
        };
      },
    });
  return {
    wrap,
    deps(deps, name) {
      const out: Record<string, unknown> = { ...deps };
      for (const [key, methods] of Object.entries(WRITES)) {
        const store = deps[key as keyof ChatDeps];
        if (store !== undefined && typeof store === 'object') out[key] = wrap(store, methods, name);
      }
      return out as unknown as ChatDeps;
    },
    async run(name, command) {
      try {
        return await command;
      } finally {
        // A racer that answered without writing has read all it reads.
        if (!arrived.has(name)) arrive(name, () => {});
        // Its turn is over: the next racer writes.
        if (names[next - 1] === name) releaseNext();
      }
    },
  };
}
