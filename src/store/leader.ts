/**
 * One leader among replicas: a PostgreSQL session advisory lock, held on a connection of its own
 * (never a pooled one: the lock lives exactly as long as that session). The replica holding it
 * leads; the others stand by and try again every `retryMs`.
 *
 * A leader must stop before anyone else can start:
 * - its process dies → the kernel closes the socket, the server ends the session and frees the
 *   lock; a standby takes it at its next try;
 * - its connection breaks (pg_terminate_backend, a restart of the server, a reset) → the client
 *   sees the socket close and stops leading at once, before the server could hand the lock on;
 * - the network goes silent (no reset ever arrives) → a heartbeat every `heartbeatMs` that does not
 *   answer within `heartbeatTimeoutMs` stops the leading; the session is told to drop a silent peer
 *   only after keepalives of about `serverDropS` seconds, longer than the heartbeat's deadline, so
 *   the lock is still held, by nobody leading, when the old leader has already let go.
 *
 * Stopping is not instant, though: an old leader hears of its lost session a moment after the server
 * freed the lock (a busy event loop, a goodbye the network lost), and its duties take a while to
 * stop. So a leader also holds a second lock, the duties lock, on a session of its own, from before
 * it starts its duties until they have stopped (onLose's promise). A replica that takes the leader
 * lock starts leading only once it also has the duties lock: at once when the old leader died (its
 * sessions ended with it), else when the old one's duties have stopped. An old leader whose duties
 * have not stopped after a heartbeat and its timeout (`fenceMs`) is stuck: the new one ends that
 * session and leads, and says so.
 */
import type pg from 'pg';
import { hostname } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { StoreDb } from './engine.ts';
import { sleep } from '../sleep.ts';
import { connectionsFix, describePostgresUrl, driverUrl, loadPg, newerSchemaReason, preferWithoutSsl, REPLICA_POOL_MAX } from './postgres.ts';
import { urlConnectTimeoutMs } from '../domain/postgres-url.ts';

/** PostgreSQL's undefined_table. */
const UNDEFINED_TABLE = '42P01';

/** The lock's key: "lead" in ASCII (an advisory lock key is any 64-bit number). */
export const LEADER_LOCK = 0x6c656164;

/** The election's sessions' application_name: this machine and process (PostgreSQL keeps 63 bytes). */
const REPLICA_PREFIX = 'goldratio replica ';
const REPLICA_NAME = `${REPLICA_PREFIX}${hostname()} pid ${process.pid}`.slice(0, 63);
/** This process as `goldratio status` names it among the replicas ("host pid N"). */
export const THIS_PROCESS = REPLICA_NAME.slice(REPLICA_PREFIX.length);
/** Process `pid` of this machine as THIS_PROCESS names its own. */
export const processName = (pid: number): string => `${REPLICA_PREFIX}${hostname()} pid ${pid}`.slice(0, 63).slice(REPLICA_PREFIX.length);
/**
 * A running replica's pool sessions' application_name ("goldratio pool host pid N", main.ts): so
 * `goldratio status` lists a replica whose election cannot connect (the server's connection limit,
 * a pooler refusing the session), by its pool alone, as one that cannot lead.
 */
const POOL_PREFIX = 'goldratio pool ';
export const POOL_NAME = `${POOL_PREFIX}${THIS_PROCESS}`.slice(0, 63);
/**
 * The pool's sessions' application_name while the replica starts (the migrations, the wait for
 * another's, the platforms made), renamed POOL_NAME once it is up (main.ts): `goldratio status` says
 * such a replica is starting, not that its election cannot connect.
 */
const STARTING_PREFIX = 'goldratio starting ';
export const STARTING_NAME = `${STARTING_PREFIX}${THIS_PROCESS}`.slice(0, 63);

export interface ReplicaSession {
  /** "host pid N", as the replica named its election's session. */
  readonly name: string;
  readonly leads: boolean;
  /**
   * Whether it has an election session: false for a replica connected by its pool alone, whose
   * election cannot connect (it cannot lead; its log and /readyz say why).
   */
  readonly election: boolean;
  /** Connected by its pool's sessions named while it starts alone (STARTING_NAME): not up yet, so not in the election yet. */
  readonly starting: boolean;
  /** When its (election's, else pool's) session began (ms), or undefined where the server hides it (another role's session). */
  readonly since: number | undefined;
}

/**
 * The replicas connected to the database now, by their election's session (one per replica; a
 * leader's duties session is the same replica) or, where a replica has none (its election cannot
 * connect), by its pool's sessions, the leader first: what `goldratio status` says. A
 * leader whose session has no such name (an older goldratio's, in a rolling upgrade) is listed by
 * its server pid, so status never says that none leads while one does.
 * undefined on SQLite, where the one process is the bot.
 */
export async function replicaSessions(store: StoreDb, key = LEADER_LOCK): Promise<ReplicaSession[] | undefined> {
  if (store.engine !== 'postgres') return undefined;
  const db = store.k as unknown as Kysely<unknown>;
  const replica = `${REPLICA_PREFIX}%`;
  const pool = `${POOL_PREFIX}%`;
  const starting = `${STARTING_PREFIX}%`;
  const r = await sql<{ name: string; leads: boolean; election: boolean; starting: boolean; since: Date | null }>`
    SELECT CASE WHEN a.application_name LIKE ${replica} THEN substr(a.application_name, ${REPLICA_PREFIX.length + 1})
                WHEN a.application_name LIKE ${pool} THEN substr(a.application_name, ${POOL_PREFIX.length + 1})
                WHEN a.application_name LIKE ${starting} THEN substr(a.application_name, ${STARTING_PREFIX.length + 1})
                -- The lock held by a session not named so: a replica of a goldratio from before the names, or a URL's own application_name.
                ELSE 'pid ' || a.pid || ' (' || coalesce(nullif(a.application_name, ''), 'no name') || ')' END AS name,
           bool_or(l.pid IS NOT NULL) AS leads,
           bool_or(a.application_name NOT LIKE ${pool} AND a.application_name NOT LIKE ${starting}) AS election,
           bool_and(a.application_name LIKE ${starting}) AS starting,
           coalesce(min(a.backend_start) FILTER (WHERE a.application_name NOT LIKE ${pool} AND a.application_name NOT LIKE ${starting}), min(a.backend_start)) AS since
      FROM pg_stat_activity a
      LEFT JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory' AND l.granted
                          AND l.classid = (${key}::bigint >> 32)::oid AND l.objid = (${key}::bigint & 4294967295)::oid AND l.objsubid = 1
     WHERE a.datname = current_database() AND (a.application_name LIKE ${replica} OR a.application_name LIKE ${pool} OR a.application_name LIKE ${starting} OR l.pid IS NOT NULL)
     GROUP BY 1
     ORDER BY 2 DESC, 4, 1`.execute(db);
  return r.rows.map((row) => ({
    name: row.name,
    leads: row.leads,
    election: row.election,
    starting: row.starting,
    since: row.since === null ? undefined : new Date(row.since).getTime(),
  }));
}

/**
 * Whether the database's server is a standby in recovery (a read replica): its pg_stat_activity
 * holds its own sessions only, so goldratio's replicas, which write on the primary, are not seen
 * there. false on SQLite.
 */
export async function serverInRecovery(store: StoreDb): Promise<boolean> {
  if (store.engine !== 'postgres') return false;
  const r = await sql<{ standby: boolean }>`SELECT pg_is_in_recovery() AS standby`.execute(store.k as unknown as Kysely<unknown>);
  return r.rows[0]?.standby === true;
}

/**
 * The duties lock beside a leader lock `key`: the two-int form of an advisory lock (pg_locks
 * objsubid 2, a space apart from the one-bigint form's objsubid 1), "duty" in ASCII and the key's
 * low 32 bits.
 */
const DUTIES_CLASS = 0x64757479;
const dutiesArgs = (key: number): [number, number] => [DUTIES_CLASS, key | 0];

export interface LeaderOptions {
  /** Lock key: replicas of one deployment share it (default LEADER_LOCK). */
  readonly key?: number;
  /** How `goldratio status` names this replica (default: its host name and pid). */
  readonly name?: string;
  /** A standby's pause between tries, and a lost connection's before reconnecting (default 2 s). */
  readonly retryMs?: number;
  readonly heartbeatMs?: number;
  readonly heartbeatTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /**
   * How long a new leader waits for the old one's duties to stop before ending their session
   * (default: heartbeatMs + heartbeatTimeoutMs, by when a live old leader has let go by itself).
   */
  readonly fenceMs?: number;
  /** Became the leader. */
  readonly onLead: () => void;
  /**
   * Stopped leading (the reason: connection lost, heartbeat failed, stopping). The duties lock is
   * kept until the promise it returns settles (the duties stopped), so nobody leads before then.
   * `behind`: lost because the schema is newer than this code (knownSchema), so this replica cannot
   * lead again until it is replaced; said here alone, not again by onError.
   */
  readonly onLose: (reason: string, behind?: boolean) => unknown;
  /** A try that could not reach the server (the election keeps trying). */
  readonly onError?: (message: string) => void;
  /** A try found the lock held by another session: the first such try since the start or the last lead. */
  readonly onWait?: () => void;
  /** Something an operator should hear while taking over (an old leader's duties that would not stop). */
  readonly onWarn?: (message: string) => void;
  /**
   * The newest schema version this replica's code knows: a replica whose database was migrated
   * further by a newer goldratio (a rolling upgrade) does not lead, and a leader that finds it so
   * at a heartbeat lets go, so the newer replicas lead. Unset: not checked.
   */
  readonly knownSchema?: number;
}

export interface LeaderElection {
  readonly leading: boolean;
  /** The server process of the lock's session (tests end it with pg_terminate_backend). */
  readonly backendPid: number | undefined;
  /** Stops leading or trying; releases the lock by closing its session. */
  stop(): Promise<void>;
}

/**
 * Whether an error ends the session rather than one query: PostgreSQL's classes 08 (connection
 * exception) and 57 (operator intervention: pg_terminate_backend, shutdown), or a socket error
 * (no SQLSTATE at all, e.g. "Connection terminated unexpectedly").
 */
export function sessionEnded(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return /connection|socket|ECONNRESET|EPIPE/i.test((e as Error).message ?? '');
  return code.startsWith('08') || code.startsWith('57') || code === 'ECONNRESET' || code === 'EPIPE';
}

export function electLeader(url: string, o: LeaderOptions): LeaderElection {
  const key = o.key ?? LEADER_LOCK;
  const retryMs = o.retryMs ?? 2000;
  const heartbeatMs = o.heartbeatMs ?? 2000;
  const heartbeatTimeoutMs = o.heartbeatTimeoutMs ?? 3000;
  const where = describePostgresUrl(url) ?? 'DATABASE_URL';
  const fenceMs = o.fenceMs ?? heartbeatMs + heartbeatTimeoutMs;
  let client: pg.Client | undefined;
  /** The duties lock's session while leading (and until the duties have stopped after). */
  let duty: pg.Client | undefined;
  /** The duties locks being given up: their sessions close once their duties have stopped. */
  const releasing = new Set<Promise<void>>();
  let leading = false;
  /** The last try found the lock held by another session (onWait said once per wait). */
  let waiting = false;
  let backendPid: number | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  /** The last try found the schema newer than this code (said once per such spell). */
  let behind = false;

  /** Why this replica must not lead now (the database's schema is newer than its code), or undefined. */
  const newerSchema = async (c: pg.Client): Promise<string | undefined> => {
    if (o.knownSchema === undefined) return undefined;
    const r = await withTimeout(
      // A database without goldratio's tables (another program's lock key on it) has nothing newer.
      c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations').catch((e: unknown) => {
        if ((e as { code?: unknown }).code === UNDEFINED_TABLE) return { rows: [] as { v: number | null }[] };
        throw e;
      }),
      heartbeatTimeoutMs,
      'the heartbeat',
    );
    const v = Number(r.rows[0]?.v ?? 0);
    return v > o.knownSchema ? `database ${newerSchemaReason(where, v, o.knownSchema)}` : undefined;
  };

  const lose = (reason: string, behindNow = false) => {
    if (!leading) return;
    leading = false;
    const d = duty;
    duty = undefined;
    let stopping: unknown;
    try {
      stopping = o.onLose(reason, behindNow);
    } catch {
      stopping = undefined;
    }
    // The duties lock goes once the duties have stopped (or failed to), not before.
    const released = Promise.resolve(stopping)
      .catch(() => {})
      .then(() => (d === undefined ? undefined : close(d)));
    releasing.add(released);
    void released.finally(() => releasing.delete(released));
  };

  /** Ends a session: politely, and if the network does not answer within the heartbeat's deadline, by dropping the socket. */
  const close = async (c: pg.Client): Promise<void> => {
    c.removeAllListeners('end');
    const ended = c.end().then(
      () => true,
      () => true,
    );
    // The deadline's timer cleared once the session has ended: left to run, it kept a stopped
    // replica's process up for the rest of heartbeatTimeoutMs (3 s) after its last line.
    let deadline: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (deadline = setTimeout(() => resolve(false), heartbeatTimeoutMs)));
    const inTime = await Promise.race([ended, late]);
    clearTimeout(deadline);
    if (!inTime) (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };

  /** Drops the session (and with it the lock, server side) and tries again later. */
  const drop = (reason: string, behindNow = false) => {
    lose(reason, behindNow);
    const c = client;
    client = undefined;
    backendPid = undefined;
    if (c !== undefined) void close(c);
    schedule(retryMs);
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
  };

  const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      p.then(
        (v) => {
          clearTimeout(t);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(t);
          reject(e);
        },
      );
    });

  /** A session of the election's own: `gone` is told when its socket errs or closes. */
  async function session(gone: (c: pg.Client, why: string) => void): Promise<pg.Client> {
    const c = new (await loadPg()).Client({
      connectionString: driverUrl(url),
      // The URL's connect_timeout (libpq's, in seconds) is the operator's bound here too.
      connectionTimeoutMillis: urlConnectTimeoutMs(url) ?? o.connectTimeoutMs ?? 5000,
      keepAlive: true,
      // What `goldratio status` lists the replicas by (an application_name in the URL wins).
      application_name: o.name === undefined ? REPLICA_NAME : `${REPLICA_PREFIX}${o.name}`.slice(0, 63),
    });
    // The socket closing is the first sign of a lost session: stop leading on it, not on the next query.
    c.on('error', (e: Error) => gone(c, `lost: ${e.message}`));
    c.on('end', () => gone(c, 'closed'));
    try {
      await c.connect();
    } catch (e) {
      c.removeAllListeners('end');
      // sslmode=prefer and a server without SSL: again without it, as psql does.
      if (preferWithoutSsl(url, e)) return session(gone);
      throw e;
    }
    // A silent peer is dropped by the server after idle + interval × count seconds (about 11 s).
    await ready(c, c.query('SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3'), 'the session setup');
    return c;
  }

  /**
   * A new session's own query, answered within the heartbeat's deadline, or the session is closed
   * and the try fails: a network gone silent right after the connect would otherwise hold the try
   * (and every later one) until the OS's keepalive gave up, hours on Linux, and leave the session open.
   */
  async function ready<T>(c: pg.Client, q: Promise<T>, what: string): Promise<T> {
    try {
      return await withTimeout(q, heartbeatTimeoutMs, what);
    } catch (e) {
      void close(c);
      throw e;
    }
  }

  async function connect(): Promise<pg.Client> {
    const c = await session((c, why) => {
      if (client === c) drop(`connection to ${where} ${why}`);
    });
    const r = await ready(c, c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'), 'the session setup');
    backendPid = r.rows[0]?.pid;
    return c;
  }

  /**
   * With the leader lock held on `c`: the duties lock too, once the old leader's duties have stopped
   * (or after `fenceMs`, its session ended). Undefined when the leader lock was lost meanwhile.
   */
  async function fence(c: pg.Client): Promise<pg.Client | undefined> {
    const d = await session((d, why) => {
      // The duties lock lost while leading: stop the duties, then give the leader lock up.
      if (duty !== d) return;
      const reason = `duties lock's connection to ${where} ${why}`;
      lose(reason);
      if (client === c) drop(reason);
    });
    try {
      return await takeDuties(c, d);
    } catch (e) {
      void close(d);
      throw e;
    }
  }

  async function takeDuties(c: pg.Client, d: pg.Client): Promise<pg.Client | undefined> {
    const since = Date.now();
    let ended = false;
    for (;;) {
      if (stopped || client !== c) {
        void close(d);
        return undefined;
      }
      const r = await withTimeout(
        d.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', dutiesArgs(key)),
        heartbeatTimeoutMs,
        'the duties lock query',
      );
      if (stopped || client !== c) {
        void close(d);
        return undefined;
      }
      if (r.rows[0]?.ok === true) return d;
      if (!ended && Date.now() - since >= fenceMs) {
        ended = true;
        // Same role as ours (replicas share one), so the server lets us end it.
        const held = await d.query<{ pid: number }>(
          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::bigint::oid AND objid = ($2::bigint & 4294967295)::oid AND objsubid = 2 AND granted",
          dutiesArgs(key),
        );
        const pids = held.rows.map((row) => row.pid);
        const done = await Promise.all(
          pids.map((pid) =>
            d.query('SELECT pg_terminate_backend($1)', [pid]).then(
              () => undefined,
              (e: unknown) => (e as Error).message,
            ),
          ),
        );
        const refused = done.find((m) => m !== undefined);
        const whose = pids.length === 0 ? '' : ` (pid ${pids.join(', ')})`;
        o.onWarn?.(
          refused === undefined
            ? `taking over: the previous leader’s duties did not stop within ${fenceMs} ms; ended its session${whose}`
            : `taking over: the previous leader’s duties did not stop within ${fenceMs} ms, and its session${whose} could not be ended: ${refused}; waiting for it`,
        );
      }
      await sleep(Math.min(retryMs, 50));
    }
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    let c = client;
    try {
      if (c === undefined) {
        c = await connect();
        // Stopped while connecting (a replica stopped right after its start): nobody else would
        // close this session, and its open socket would keep the stopped process alive.
        if (stopped) {
          void close(c);
          return;
        }
        client = c;
      }
      if (!leading) {
        const refused = await newerSchema(c);
        if (stopped || client !== c) return;
        if (refused !== undefined) {
          if (!behind) o.onError?.(`standing by: ${refused}`);
          behind = true;
          schedule(retryMs);
          return;
        }
        behind = false;
        const r = await withTimeout(c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]), heartbeatTimeoutMs, 'the lock query');
        if (stopped || client !== c) return;
        if (r.rows[0]?.ok === true) {
          // Checked again under the lock: the database may have been migrated between the check
          // above and the lock (the old leader lets go only after it is), and this code must not lead it.
          const late = await newerSchema(c);
          if (stopped || client !== c) return;
          if (late !== undefined) {
            await withTimeout(c.query('SELECT pg_advisory_unlock($1)', [key]), heartbeatTimeoutMs, 'the unlock query');
            if (!behind) o.onError?.(`standing by: ${late}`);
            behind = true;
            schedule(retryMs);
            return;
          }
          const d = await fence(c);
          if (d === undefined) return;
          duty = d;
          leading = true;
          waiting = false;
          o.onLead();
          schedule(heartbeatMs);
        } else {
          if (!waiting) o.onWait?.();
          waiting = true;
          schedule(retryMs);
        }
        return;
      }
      const refused =
        o.knownSchema === undefined ? await withTimeout(c.query('SELECT 1'), heartbeatTimeoutMs, 'the heartbeat').then(() => undefined) : await newerSchema(c);
      if (client !== c) return;
      if (refused !== undefined) {
        // Closing the session frees the lock for a replica of the new version.
        behind = true;
        drop(refused, true);
        return;
      }
      schedule(heartbeatMs);
    } catch (e) {
      // A try that outlived its session has nothing to say or drop: the session was dropped (for its
      // lost connection, or its duties lock's) and the next try is scheduled, or a newer one has
      // started since. A heartbeat on its way when the connection died fails just after that drop,
      // and was said as a try of its own, then the next try's failure again: two lines for one outage.
      if (stopped || client !== c) return;
      const said = (e as Error).message;
      // No connection left for the lock's session (the pool took the last): said with what frees one, as the start says it.
      const message =
        (e as { code?: unknown }).code === '53300'
          ? `${said} (53300): the leader lock needs a connection of its own beside the pool's ${REPLICA_POOL_MAX}; ${connectionsFix(said)}`
          : said;
      // The first try that reaches the server again and finds another leader says so (onWait).
      waiting = false;
      if (!leading) o.onError?.(`leader election: ${where}: ${message}`);
      // A query can fail on a terminated session before the socket's own error event: name it the same way.
      drop(sessionEnded(e) ? `connection to ${where} lost: ${message}` : `leader election: ${message}`);
    }
  }

  void tick();

  return {
    get leading() {
      return leading;
    },
    get backendPid() {
      return backendPid;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      lose('stopping');
      // The duties lock once the duties have stopped, then the leader lock's session: closing a
      // session releases its lock at once (the next leader need not wait for a timeout).
      await Promise.all([...releasing]);
      const c = client;
      client = undefined;
      backendPid = undefined;
      if (c !== undefined) await close(c);
    },
  };
}
