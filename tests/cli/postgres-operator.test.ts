/**
 * The operator's PostgreSQL as it is, not as goldratio would have made it: a reading command run from
 * a newer checkout against a database the replicas of an older version run on, a database that is
 * still empty, a user that may only read (or only read and write rows), and a URL mistyped. Each is
 * one line and exit 2, and a reading command leaves the database as it found it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runCliInProcess as cli } from '../helpers/cli.ts';
import { pgProxy } from '../helpers/pg-proxy.ts';
import { heldPort } from '../helpers/held-port.ts';
import { loadConfig, secretValues } from '../../src/config.ts';
import { StoppedBeforeStart, startApp } from '../../src/main.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase, PG, withDatabase } from '../helpers/postgres.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { electLeader, replicaSessions, THIS_PROCESS } from '../../src/store/leader.ts';
import { createLogger, memoryLogger } from '../../src/log.ts';
import { bootApp, type Cleanups } from '../helpers/app.ts';
import { onPostgres } from '../../src/store/engine.ts';
import { sleep } from '../../src/sleep.ts';
import { latestVersion, MIGRATIONS } from '../../src/store/migrations/index.ts';

const tablesOf = async (url: string) =>
  (await adminQuery(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r: { tablename: string }) => r.tablename);
const versionOf = async (url: string) => (await adminQuery(url, 'SELECT max(version)::int AS v FROM schema_migrations')).rows[0].v as number;

/** A URL to `db` as `user` with `password`, percent-encoded as goldratio's message says to write it. */
function as(db: string, user: string, password: string): string {
  const u = new URL(db);
  u.username = user;
  u.password = encodeURIComponent(password);
  return u.toString();
}

describeWithPostgres('goldratio on an operator’s PostgreSQL', () => {
  const dbs: { url: string; drop(): Promise<void> }[] = [];
  const roles: string[] = [];
  let dir: string;
  const fresh = async () => {
    const d = await freshPgDatabase();
    dbs.push(d);
    return d.url;
  };
  /** A role of its own on the test server, dropped after its databases. */
  const role = async (password: string, ...grants: string[]) => {
    const name = `gr_op_${randomBytes(4).toString('hex')}`;
    await adminQuery(PG.url!, `CREATE ROLE ${name} LOGIN PASSWORD '${password.replace(/'/g, "''")}'`);
    roles.push(name);
    for (const g of grants) await adminQuery(g.split(' @ ')[1]!, g.split(' @ ')[0]!.replace('$ROLE', name));
    return name;
  };
  const env = (url: string) => ({ DATABASE_URL: url, DATA_DIR: dir });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-pg-op-'));
  });
  afterAll(async () => {
    for (const d of dbs) await d.drop();
    for (const r of roles) await adminQuery(PG.url!, `DROP ROLE IF EXISTS ${r}`);
    rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN a reading command on an empty database THEN one line saying nothing is there yet, exit 2, and no table is made', async () => {
    const url = await fresh();
    // webhook list reads too, though webhook's other verbs write.
    for (const command of [['status'], ['ratio'], ['history', 'spx-gold'], ['webhook', 'list']]) {
      const r = await cli(command, env(url));
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        new RegExp(
          `^goldratio ${command[0]}: DATABASE_URL: postgres://\\S+ has no goldratio tables yet, and a reading command creates none: fill it with goldratio copy-data, backfill or import, or start the bot on it\\n$`,
        ),
      );
    }
    expect(await tablesOf(url)).toEqual([]);
  });

  test('GIVEN a reading command from a newer goldratio on a database the older one runs on THEN it is refused in one line and the schema stays the older one', async () => {
    const url = await fresh();
    const older = MIGRATIONS.filter((m) => m.version <= 13);
    await (await openPostgres(url, { what: 'test', migrations: older })).close();
    const r = await cli(['status'], env(url));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^goldratio status: DATABASE_URL: postgres://\\S+ has goldratio's schema version 13, older than this goldratio's ${latestVersion(MIGRATIONS)}, and a reading command changes nothing: read it with the goldratio that runs on it, or upgrade it \\(starting this version migrates it; replicas of the older one then stand by\\)\\n$`,
      ),
    );
    // The older replicas keep leading: nothing was migrated under them.
    expect(await versionOf(url)).toBe(13);
    // A writing command is an upgrade, as on SQLite.
    const w = await cli(['webhook', 'add', 'https://example.com/hook'], env(url));
    expect(w.code, w.stderr).toBe(0);
    expect(await versionOf(url)).toBe(latestVersion(MIGRATIONS));
  });

  test('GIVEN a user that may only SELECT THEN the reading commands work, and a writing one is one line naming the user and what to grant, exit 2, nothing written', async () => {
    const url = await fresh();
    await (await openPostgres(url, { what: 'test' })).close();
    const reader = await role('r3ad-only', `GRANT SELECT ON ALL TABLES IN SCHEMA public TO $ROLE @ ${url}`);
    const readerUrl = as(url, reader, 'r3ad-only');
    const status = await cli(['status'], env(readerUrl));
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^database postgres://${reader}@`));
    const list = await cli(['webhook', 'list'], env(readerUrl));
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);

    const before = (await adminQuery(url, 'SELECT count(*)::int AS n FROM subscriptions')).rows[0].n;
    const w = await cli(['webhook', 'add', 'https://example.com/hook'], env(readerUrl));
    expect(w.code).toBe(2);
    expect(w.stdout).toBe('');
    expect(w.stderr).toMatch(
      new RegExp(
        `^goldratio webhook: DATABASE_URL: user "${reader}" may not write goldratio's tables in postgres://${reader}@\\S+ \\(no INSERT, UPDATE, DELETE on absent_days, alert_cursor, chart_uploads, chat_types, closes, and 15 more\\): grant them \\(GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${reader}"\\), or connect as the database's owner\\n$`,
      ),
    );
    expect(w.stderr).not.toContain('r3ad-only');
    expect((await adminQuery(url, 'SELECT count(*)::int AS n FROM subscriptions')).rows[0].n).toBe(before);

    // A user that may not even read some of the tables hears which, before any query fails on them.
    const none = await role('n0thing');
    const r = await cli(['status'], env(as(url, none, 'n0thing')));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^goldratio status: DATABASE_URL: user "${none}" may not read goldratio's tables in \\S+ \\(no SELECT on absent_days, .*, and 15 more\\): grant them \\(GRANT SELECT ON ALL TABLES`,
      ),
    );
  });

  test.each(['a', 'at', 'pw123'])(
    'GIVEN DATABASE_URL with a password of %j (1, 2, 5 characters) THEN the lines an operator sees (auth failed, connection refused, start’s JSON log) keep every word and show it nowhere a password stands',
    async (pw) => {
      const name = await role('the-right-one');
      const refusedPort = await heldPort();
      try {
        const wrong = as(PG.url!, name, pw);
        const refused = new URL(wrong);
        refused.port = String(refusedPort.port);
        const pgHost = new URL(PG.url!).host;
        const dbName = new URL(PG.url!).pathname.slice(1);
        const auth = `PostgreSQL at ${pgHost} refused the password of user "${name}" (DATABASE_URL: postgres://${name}@${pgHost}/${dbName})`;
        const unreachable = `cannot reach PostgreSQL at 127.0.0.1:${refusedPort.port} (DATABASE_URL: postgres://${name}@127.0.0.1:${refusedPort.port}/${dbName}): ECONNREFUSED; is the server running and the host and port right?`;
        const lines: string[] = [];
        // A reading command's line, refused and unreachable.
        const status = await cli(['status'], env(wrong));
        expect([status.code, status.stderr]).toEqual([2, `goldratio status: ${auth}\n`]);
        lines.push(status.stderr);
        const away = await cli(['status'], env(refused.toString()));
        expect([away.code, away.stderr]).toEqual([2, `goldratio status: ${unreachable}\n`]);
        lines.push(away.stderr);
        // start's refusal as the JSON line a log collector reads (LOG_FORMAT=json: through the scrubber).
        const start = await cli(['start'], { ...env(wrong), LOG_FORMAT: 'json' });
        expect(start.code).toBe(2);
        expect((JSON.parse(start.stderr) as { msg: string }).msg).toBe(auth);
        lines.push(start.stderr);
        // start's wait for a server that refuses, as its JSON log says it (the scrubber with the URL's secrets).
        const config = loadConfig({ ...env(refused.toString()), CHART_WORKERS: '0', HTTP_RETRIES: '0' });
        const logged: string[] = [];
        const log = createLogger('info', { format: 'json', secrets: secretValues(config), sink: (l) => logged.push(l) });
        const stop = new AbortController();
        const starting = startApp(config, log, { signal: stop.signal, databaseWaitMs: 60_000 }).then(
          () => 'started',
          (e: unknown) => e,
        );
        await until(() => logged.some((l) => /"level":"warn"/.test(l)), 30_000);
        stop.abort();
        expect(await starting).toBeInstanceOf(StoppedBeforeStart);
        const warned = JSON.parse(logged.find((l) => /"level":"warn"/.test(l))!) as { msg: string };
        expect(warned.msg).toBe(`${unreachable} Waiting for it: attempt 1, next in 1 s (giving up after 1 min)`);
        lines.push(...logged);
        for (const l of lines) expect(l).not.toMatch(new RegExp(`:${pw}@|password=${pw}\\b|"${pw}"`));
      } finally {
        await refusedPort.release();
      }
    },
    60_000,
  );

  test('GIVEN a user that may read and write rows but not create tables THEN it runs on a migrated database, and on an empty one start says to migrate as the owner, exit 2', async () => {
    const url = await fresh();
    await (await openPostgres(url, { what: 'test' })).close();
    const password = 'p#ss/w?d@%1';
    const writer = await role(password, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $ROLE @ ${url}`);
    // The password written percent-encoded, as goldratio says to write one with # / ? @ or % in it.
    const added = await cli(['webhook', 'add', 'https://example.com/hook'], env(as(url, writer, password)));
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);

    const empty = await fresh();
    const start = await cli(['start'], { ...env(as(empty, writer, password)), LOG_FORMAT: 'pretty' });
    expect(start.code).toBe(2);
    expect(start.stderr).toMatch(
      new RegExp(
        `^goldratio start: DATABASE_URL: user "${writer}" may not create or change goldratio's tables in postgres://${writer}@\\S+ \\(permission denied for schema public\\): run goldratio once as the database's owner \\(createdb -O <user> makes one\\), which migrates it; a user that may only read and write its rows can run it after that\\n$`,
      ),
    );
    expect(start.stderr).not.toContain('p#ss');
    expect(await tablesOf(empty)).toEqual([]);
  });

  test.each([
    ["Rails'", "CREATE TABLE schema_migrations (version varchar PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240202120000')"],
    [
      "golang-migrate's",
      'CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (3, false)',
    ],
  ])(
    'GIVEN another application’s database with a schema_migrations table of its own (%s) THEN start, status and copy-data refuse it naming its tables, exit 2, and make nothing in it',
    async (_, ddl) => {
      const url = await fresh();
      for (const statement of [...ddl.split('; '), 'CREATE TABLE closes (id int, what text)']) await adminQuery(url, statement);
      const before = await tablesOf(url);
      const foreign = /holds tables that are not goldratio's \(closes, schema_migrations\): /;
      for (const command of [['status'], ['start']]) {
        const r = await cli(command, { ...env(url), LOG_FORMAT: 'pretty' });
        expect(r.code, command[0]).toBe(2);
        expect(r.stderr).toMatch(
          new RegExp(`^goldratio ${command[0]}: DATABASE_URL: postgres://\\S+ ${foreign.source}goldratio keeps its tables in a database of its own`),
        );
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }
      const sqlite = join(dir, `source-${randomBytes(3).toString('hex')}.db`);
      expect((await cli(['webhook', 'add', 'https://example.com/hook'], { DATABASE_PATH: sqlite })).code).toBe(0);
      const copy = await cli(['copy-data', '--to', url], { DATABASE_PATH: sqlite });
      expect(copy.code).toBe(2);
      expect(copy.stderr).toMatch(new RegExp(`^goldratio copy-data: postgres://\\S+ ${foreign.source}copy-data fills only an empty database`));
      expect(await tablesOf(url)).toEqual(before);
    },
  );

  test('GIVEN the server gone in the middle of copy-data THEN one line naming where and that nothing was kept, exit 1, and the target stays empty for a second run', async () => {
    const url = await fresh();
    const sqlite = join(dir, `cut-${randomBytes(3).toString('hex')}.db`);
    const csv = join(dir, 'gold.csv');
    writeFileSync(csv, 'date,close\n2020-03-02,1588.5\n2020-03-03,1640.9\n2020-03-04,1637.6\n');
    expect((await cli(['import', 'gold', csv], { DATABASE_PATH: sqlite })).code).toBe(0);
    const proxy = await pgProxy(url);
    try {
      // The server goes away while the closes are on their way in.
      const held = proxy.hold('INSERT INTO "closes"');
      const run = cli(['copy-data', '--to', proxy.url], { DATABASE_PATH: sqlite });
      await held.seen;
      proxy.cut();
      held.release();
      const r = await run;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^goldratio copy-data: the copy into postgres:\/\/\S+ failed: [^\n]+; it is one transaction, so nothing of it was kept: run copy-data again\n$/,
      );
    } finally {
      await proxy.close();
    }
    expect((await adminQuery(url, 'SELECT count(*)::int AS n FROM closes')).rows[0].n).toBe(0);
    const again = await cli(['copy-data', '--to', url], { DATABASE_PATH: sqlite });
    expect(again.code, again.stderr).toBe(0);
    expect((await adminQuery(url, 'SELECT count(*)::int AS n FROM closes')).rows[0].n).toBe(3);
  });

  test('GIVEN the server gone in the middle of an import THEN one line naming DATABASE_URL’s server and that nothing uncommitted was kept, exit 1', async () => {
    const url = await fresh();
    await (await openPostgres(url, { what: 'test' })).close();
    const csv = join(dir, 'gold-import.csv');
    writeFileSync(csv, 'date,close\n2020-03-02,1588.5\n2020-03-03,1640.9\n');
    const proxy = await pgProxy(url);
    try {
      const held = proxy.hold('insert into "closes"');
      const run = cli(['import', 'gold', csv], { ...env(proxy.url), LOG_FORMAT: 'pretty' });
      await held.seen;
      proxy.cut();
      held.release();
      const r = await run;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^goldratio import: the connection to PostgreSQL at postgres:\/\/\S+ \(DATABASE_URL\) was lost: [^\n]+; what was not committed was not kept: run it again once the server answers\n$/,
      );
    } finally {
      await proxy.close();
    }
    expect((await adminQuery(url, 'SELECT count(*)::int AS n FROM closes')).rows[0].n).toBe(0);
  });

  test('GIVEN DATABASE_URL or --to without a database name THEN one line saying to name one, exit 2, and the server’s own database is left alone', async () => {
    const server = new URL(PG.url!);
    server.pathname = '';
    const bare = server.toString().replace(/\/$/, '');
    const before = await tablesOf(withDatabase(PG.url!, 'postgres'));
    const r = await cli(['status'], env(bare));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^goldratio status: invalid configuration:\n {2}- DATABASE_URL: names no database: end it with \/<database>/);
    const c = await cli(['copy-data', '--to', bare], { DATABASE_PATH: join(dir, 'none.db') });
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/^goldratio copy-data: --to: names no database: end it with \/<database>.*\. Usage: goldratio copy-data --to/);
    expect(await tablesOf(withDatabase(PG.url!, 'postgres'))).toEqual(before);
  });
});

describeWithPostgres('goldratio status on PostgreSQL names the replicas', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('GIVEN no replica, then two, then the leader gone THEN status says which replicas are connected and which one leads, in text and JSON', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const pgStore = await openPostgres(d.url, { what: 'test' });
    cleanups.push(() => pgStore.close());
    const onPostgresStore = onPostgres(pgStore);
    const env = { DATABASE_URL: d.url };
    const replicasLine = async () => (await cli(['status'], env)).stdout.split('\n')[1];
    expect(await replicasLine()).toBe('replicas: none connected (no goldratio start runs on this database)');

    const leads: Record<string, boolean> = {};
    const elect = (name: string) => {
      const e = electLeader(d.url, {
        name,
        retryMs: 100,
        heartbeatMs: 200,
        heartbeatTimeoutMs: 1000,
        onLead: () => {
          leads[name] = true;
        },
        onLose: () => {
          leads[name] = false;
        },
      });
      cleanups.push(() => e.stop());
      return e;
    };
    const a = elect('host-a pid 11');
    await until(() => leads['host-a pid 11'] === true);
    elect('host-b pid 22');
    await until(async () => /2 connected/.test((await replicasLine()) ?? ''));
    expect(await replicasLine()).toMatch(/^replicas: 2 connected: host-a pid 11 leads \(connected since \d{4}-\d\d-\d\dT[\d:.]+Z\), host-b pid 22$/);
    const json = JSON.parse((await cli(['status', '--json'], env)).stdout) as { replicas: { name: string; leads: boolean; since?: string }[] };
    expect(json.replicas.map((r) => [r.name, r.leads, typeof r.since])).toEqual([
      ['host-a pid 11', true, 'string'],
      ['host-b pid 22', false, 'string'],
    ]);

    await a.stop();
    await until(() => leads['host-b pid 22'] === true);
    expect(await replicasLine()).toMatch(/^replicas: 1 connected: host-b pid 22 leads \(connected since \S+\)$/);

    // A leader whose session is not named as this goldratio names it (an older one's, a URL's own application_name): listed by its pid.
    const own = new URL(d.url);
    own.searchParams.set('application_name', 'their-own');
    const c = electLeader(own.toString(), { key: 0x7e57, retryMs: 100, onLead: () => {}, onLose: () => {} });
    cleanups.push(() => c.stop());
    await until(() => c.leading);
    const other = await replicaSessions(onPostgresStore, 0x7e57);
    expect(other?.map((r) => [r.name.replace(/^pid \d+/, 'pid N'), r.leads])).toEqual([
      ['pid N (their-own)', true],
      ['host-b pid 22', false],
    ]);
  }, 30_000);
});

describeWithPostgres('an old replica’s status in a rolling upgrade', () => {
  const cleanups: Cleanups = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('GIVEN a database a newer goldratio migrated, its replica leading and an old one standing by THEN this older status lists the replicas and who leads, and says in one line that the schema is newer and which goldratio reads the rest; the other reading commands refuse it', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const known = latestVersion(MIGRATIONS);
    // What the new version's start did: one migration past this code's.
    await adminQuery(d.url, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${known + 1}, 'from-the-future', '2026-12-08T01:20:00.000Z')`);
    let newLeads = false;
    const fresh = electLeader(d.url, { name: 'host-new pid 31', retryMs: 100, onLead: () => (newLeads = true), onLose: () => (newLeads = false) });
    cleanups.push(() => fresh.stop());
    await until(() => newLeads);
    // The old replica knows the schema is newer than its code: it stands by.
    const refusals: string[] = [];
    const old = electLeader(d.url, {
      name: 'host-old pid 7',
      retryMs: 100,
      knownSchema: known,
      onLead: () => {},
      onLose: () => {},
      onError: (m) => refusals.push(m),
    });
    cleanups.push(() => old.stop());
    await until(() => refusals.length > 0);
    const env = { DATABASE_URL: d.url };

    const r = await cli(['status'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(/^database postgres:\/\/[^:@\s]+@\S+$/),
      expect.stringMatching(/^replicas: 2 connected: host-new pid 31 leads \(connected since \S+\), host-old pid 7$/),
      `schema version ${known + 1} (migrated at 2026-12-08T01:20:00.000Z) is newer than this goldratio's ${known}: only the replicas are shown, read from the server's sessions; the prices and the rest are for the status of a goldratio that knows schema version ${known + 1} (the new version)`,
      '',
    ]);
    const json = JSON.parse((await cli(['status', '--json'], env)).stdout) as Record<string, unknown> & { replicas: { name: string; leads: boolean }[] };
    expect(Object.keys(json)).toEqual(['database', 'replicas', 'newerSchema']);
    expect(json.replicas.map((x) => [x.name, x.leads])).toEqual([
      ['host-new pid 31', true],
      ['host-old pid 7', false],
    ]);
    expect(json.newerSchema).toEqual({ version: known + 1, known, migratedAt: '2026-12-08T01:20:00.000Z' });

    // The new replica gone, the old one left: nobody leads, and no wait changes that.
    await fresh.stop();
    await until(async () => !/host-new/.test((await cli(['status'], env)).stdout));
    expect((await cli(['status'], env)).stdout.split('\n')[1]).toBe(
      `replicas: 1 connected, none leads: replicas older than schema version ${known + 1} do not lead; start one of the new version: host-old pid 7`,
    );

    // A reading command that would read goldratio's tables is refused, in one line, as before.
    const ratio = await cli(['ratio'], env);
    expect(ratio.code).toBe(2);
    expect(ratio.stderr).toMatch(
      new RegExp(
        `^goldratio ratio: database postgres://\\S+ was migrated by a newer goldratio \\(schema version ${known + 1}; this version knows up to ${known}\\): upgrade goldratio, or point DATABASE_URL at another database\\n$`,
      ),
    );
    expect(await versionOf(d.url)).toBe(known + 1);
  }, 60_000);
});

describeWithPostgres('a replica whose election cannot connect, its pool working', () => {
  const cleanups: Cleanups = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('GIVEN the election’s sessions refused (53300) and the pool’s let through THEN /readyz says it cannot lead and why, status lists it by its pool as unable to lead and says nobody can, until another leads or its election connects', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const proxy = await pgProxy(d.url);
    cleanups.push(() => proxy.close());
    // What a server at max_connections (or a pooler) answers the election's own session; the pool's sessions go through.
    const refusal = proxy.refuse('goldratio replica ');
    const log = memoryLogger('info');
    const { base } = await bootApp(cleanups, { databaseUrl: proxy.url, log });
    await until(() => log.lines.some((l) => /WARN .*leader election: .*sorry, too many clients already \(53300\)/.test(l)), 30_000);
    expect(refusal.times).toBeGreaterThan(0);
    const readyz = async () => {
      const res = await fetch(`${base}/readyz`);
      return { status: res.status, lines: (await res.text()).trim().split('\n') };
    };
    const refused = await readyz();
    // Still ready: it answers commands through its pool; it only cannot lead.
    expect(refused.status).toBe(200);
    expect(refused.lines[0]).toBe('ready (standby, cannot lead)');
    expect(refused.lines[1]).toMatch(
      /^standby, cannot lead: leader election: \S+: sorry, too many clients already \(53300\): the leader lock needs a connection of its own beside the pool's 10; /,
    );
    // What an alert rule watches: this replica would not take over (goldratio_leader's sum says only that nobody leads).
    const cannotLead = async () => /^goldratio_cannot_lead (\S+)$/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1];
    expect(await cannotLead()).toBe('1');

    const env = { DATABASE_URL: d.url };
    const replicasLine = async () => (await cli(['status'], env)).stdout.split('\n')[1];
    const me = THIS_PROCESS.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(await replicasLine()).toBe(
      `replicas: 1 connected, nobody can lead now: no replica has an election session: ${THIS_PROCESS} (no election session: it cannot lead; its log says why)`,
    );
    const json = JSON.parse((await cli(['status', '--json'], env)).stdout) as { replicas: { name: string; leads: boolean; election: boolean }[] };
    expect(json.replicas.map((r) => [r.name, r.leads, r.election])).toEqual([[THIS_PROCESS, false, false]]);

    // Another replica, whose election connects, leads: this one is still listed as unable to.
    let bLeads = false;
    const b = electLeader(d.url, { name: 'host-b pid 22', retryMs: 100, onLead: () => (bLeads = true), onLose: () => (bLeads = false) });
    cleanups.push(() => b.stop());
    await until(() => bLeads, 30_000);
    expect(await replicasLine()).toMatch(
      new RegExp(`^replicas: 2 connected: host-b pid 22 leads \\(connected since \\S+\\), ${me} \\(no election session: it cannot lead; its log says why\\)$`),
    );

    // The refusal ends: its election connects, finds host-b leading, and it is a plain standby again.
    refusal.stop();
    await until(async () => (await readyz()).lines[0] === 'ready (standby)', 30_000);
    expect(await cannotLead()).toBe('0');
    // The quotes' warning aside (nobody synced: host-b leads without duties), nothing about leading.
    expect((await readyz()).lines.filter((l) => !l.startsWith('warning: quotes: '))).toEqual(['ready (standby)']);
    expect(await replicasLine()).toMatch(new RegExp(`^replicas: 2 connected: host-b pid 22 leads \\(connected since \\S+\\), ${me}$`));
  }, 90_000);
});

/** `f` true within `ms` of tries 50 ms apart (each try's own time not counted: a loaded machine's slow `status` gets its tries). */
async function until(f: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  for (let i = 0; i < ms / 50; i++) {
    if (await f()) return;
    await sleep(50);
  }
  throw new Error(`not within ${ms / 1000} s`);
}
