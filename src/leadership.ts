/**
 * What only one replica does, and when: the leader's duties (the scheduler, the outbox
 * dispatcher, Telegram long polling, the Discord gateway) start when this replica becomes the
 * leader and stop when it stops leading. On SQLite there is one process (store/instance-lock.ts),
 * so it leads from the start and for good; on PostgreSQL a session advisory lock chooses
 * (store/leader.ts), and the others stand by, answering commands.
 *
 * Transitions run one at a time, in order: a "lose" that arrives while the duties are still
 * starting waits for the start to finish and then stops them, so a replica never keeps sending
 * after it let go. Losing is noticed by `leading()` at once (the dispatcher asks before each send),
 * before the duties have finished stopping.
 */
import type { Logger } from './log.ts';
import { electLeader, type LeaderElection, type LeaderOptions } from './store/leader.ts';
import { latestVersion, MIGRATIONS } from './store/migrations/index.ts';

export type Role = 'leader' | 'standby';

/** The leader's duties: started on lead, stopped on lose (both may be called many times over a life). */
export interface Duties {
  start(): Promise<void>;
  stop(reason: string): Promise<void>;
}

export interface Leadership {
  /** 'leader' or 'standby' (on SQLite always 'leader'). */
  role(): Role;
  /** False the moment the lock is lost, before the duties have stopped: asked before each send. */
  leading(): boolean;
  /**
   * Why this standby cannot lead now (its election's tries fail: no connection of its own, the
   * schema newer than its code), as its log said it; undefined while it leads or its election runs.
   */
  cannotLead(): string | undefined;
  /**
   * Whether the election has answered: its first try took the lead, found another leader, or failed
   * (always true on SQLite). Until then role() says 'standby' of a replica that does not know yet, so
   * /readyz names no role and goldratio_cannot_lead is empty.
   */
  answered(): boolean;
  /** How many times this replica became or stopped being the leader. */
  readonly changes: number;
  /** Stops leading (its duties first) and leaves the election. */
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  readonly log: Logger;
  readonly duties: Duties;
  /** Told each change (metrics). */
  readonly onChange?: (role: Role) => void;
  /**
   * Told when a standby's election reaches the database again and finds another leader (the first
   * such try since the start or since it lost its connection): what was pruned of this replica while
   * it was not connected is written again (ops/token-watch.ts reached). A lead taken is onChange.
   */
  readonly onReached?: () => void;
  /**
   * Settles once the replica's start is done (its platforms started, so it serves): "standing by" is
   * said only then, not at the election's first try while the replica cannot serve yet.
   */
  readonly started?: Promise<unknown>;
}

/** The single process on SQLite: leader from the start, duties started now. */
export async function soleLeader(o: LeadershipOptions): Promise<Leadership> {
  let leading = true;
  o.onChange?.('leader');
  await o.duties.start();
  return {
    role: () => (leading ? 'leader' : 'standby'),
    leading: () => leading,
    cannotLead: () => undefined,
    answered: () => true,
    changes: 1,
    async stop() {
      if (!leading) return;
      leading = false;
      await o.duties.stop('stopping');
    },
  };
}

/** A failing election's message is said again at most this often while the same. */
const UNREACHABLE_REPEAT_MS = 60_000;

/**
 * A message as one reason: a connection the server (or a proxy, a balancer before a stopped server)
 * took and dropped reads as a reset or a close by the timing alone, "read ECONNRESET" on one try and
 * "Connection terminated unexpectedly" on the next; said as a new reason each time, that was a line
 * every other try.
 */
const reasonOf = (message: string): string =>
  message.replace(/: (read ECONNRESET|write EPIPE|write ECONNRESET|Connection terminated unexpectedly)$/, ': connection dropped');

/** One replica among several on PostgreSQL: leads while it holds the lock at `url`. */
export function electedLeadership(url: string, o: LeadershipOptions & { readonly election?: Partial<LeaderOptions> }): Leadership {
  let leading = false;
  let changes = 0;
  let stopped = false;
  // The duties' transitions, one after another.
  let chain: Promise<void> = Promise.resolve();
  let dutiesUp = false;
  let answered = false;
  /** The election's tries failing since `since`: the message last said, and when. */
  let outage: { message: string; said: number; since: number } | undefined;
  const enqueue = (f: () => Promise<void>) => {
    chain = chain.then(f).catch((e: unknown) => o.log.error(`leadership: ${(e as Error).message}`));
    return chain;
  };
  /** No longer leading: said at once, the duties stopped in turn. */
  const letGo = (reason: string, say: () => void) => {
    leading = false;
    changes++;
    say();
    o.onChange?.('standby');
    void enqueue(async () => {
      if (!dutiesUp) return;
      dutiesUp = false;
      await o.duties.stop(reason);
    });
  };
  const election: LeaderElection = electLeader(url, {
    knownSchema: latestVersion(MIGRATIONS),
    ...o.election,
    onLead: () => {
      outage = undefined;
      answered = true;
      if (stopped) return;
      leading = true;
      changes++;
      o.log.info('leading: this replica runs the scheduler, the dispatcher and the platforms’ connections');
      o.onChange?.('leader');
      void enqueue(async () => {
        // Lost again before the start could begin: nothing to start.
        if (!leading || dutiesUp) return;
        dutiesUp = true;
        await o.duties.start();
      });
    },
    // The election keeps the duties lock until this settles: no other replica leads before the duties have stopped.
    onLose: (reason, behind) => {
      // Let go for a schema newer than its code: it cannot lead again (as a standby that found it so says).
      if (behind === true && !stopped) outage = { message: `standing by: ${reason}`, said: Date.now(), since: Date.now() };
      if (leading) letGo(reason, () => o.log.warn(`standing by: stopped leading (${reason})`));
      return chain;
    },
    onWarn: (message) => o.log.warn(message),
    // A server down for minutes fails a try every 2 s: said when it starts (or its reason changes),
    // again once a minute while it lasts, and anew after the server was reached.
    onError: (message) => {
      answered = true;
      const now = Date.now();
      if (outage !== undefined && reasonOf(outage.message) === reasonOf(message) && now - outage.said < UNREACHABLE_REPEAT_MS) return;
      outage = { message, said: now, since: outage?.since ?? now };
      o.log.warn(now === outage.since ? message : `${message} (since ${new Date(outage.since).toISOString()})`);
    },
    // Said once the election has run and found another leader, not before: a replica about to lead
    // would otherwise say "standing by" first.
    onWait: () => {
      outage = undefined;
      answered = true;
      if (stopped) return;
      // Once this replica serves (its start done): a standby still starting would take over, but answers nothing yet.
      const say = () => {
        if (!stopped && !leading) o.log.info('standing by: another replica leads');
      };
      if (o.started === undefined) say();
      else void o.started.then(say, say);
      o.onReached?.();
    },
  });
  return {
    role: () => (leading ? 'leader' : 'standby'),
    leading: () => leading,
    // Cleared by the next try that reaches the server (onWait) or leads (onLead).
    cannotLead: () => (leading || stopped ? undefined : outage?.message),
    answered: () => answered,
    get changes() {
      return changes;
    },
    async stop() {
      stopped = true;
      // The duties stop while the lock is still held, so no other replica starts sending before
      // this one has finished; then the session closes and the lock goes to a standby at once.
      if (leading) letGo('stopping', () => o.log.debug('stopping: leaving the leadership'));
      await chain;
      await election.stop();
    },
  };
}
