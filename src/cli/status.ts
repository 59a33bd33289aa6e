/** `goldratio status [--json]`: last price, source and age per instrument; row counts; database path. */
import { existsSync } from 'node:fs';
import { storeOf, whereOf, type CliContext, type Command } from './command.ts';
import type { StoreDb } from '../store/engine.ts';
import { newerSchema, type NewerSchema } from '../store/postgres.ts';
import { CLI_SPECS } from './specs.ts';
import { json, parseCli } from './args.ts';
import { MarketView } from '../store/market-view.ts';
import { QuoteStore } from '../store/quotes.ts';
import { formatAge } from '../domain/i18n/format.ts';
import { INSTRUMENT_INFO } from '../domain/instruments.ts';
import { daysBetween, dateInZone } from '../domain/dates.ts';
import { closeAgeMs } from '../domain/close-age.ts';
import { goldGap } from '../domain/gold-gap.ts';
import { t } from '../domain/i18n/index.ts';
import { processName, replicaSessions, serverInRecovery, type ReplicaSession } from '../store/leader.ts';
import { deletedButOpen } from '../store/deleted-open.ts';
import { TokenNotes, type TokenNote } from '../store/token-notes.ts';

/** A SQLite file not in its folder: never made, or deleted while a goldratio still has it open (as /readyz says it). */
function missingFile(path: string): string {
  return deletedButOpen(path) ?? 'not created yet';
}

export const statusCommand: Command = {
  ...CLI_SPECS.status,
  database: 'read',
  // In a rolling upgrade an old replica's status still says who leads (store/postgres.ts newerSchema).
  readsNewerSchema: true,
  async run(args, ctx) {
    const { values } = parseCli(args, { json: { type: 'boolean' } });
    const now = new Date((ctx.now ?? Date.now)());
    const store = await storeOf(ctx);
    const newer = await newerSchema(store);
    if (newer !== undefined) return sessionsOnly(ctx, store, newer, values.json === true);
    const rows = await new MarketView(new QuoteStore(store)).status();
    // On PostgreSQL, which replicas run on it and which one leads (an operator's first question).
    // On a standby server (a read replica) the replicas' sessions are on the primary: none seen here.
    const standby = await serverInRecovery(store);
    const replicas = standby ? undefined : await replicaSessions(store);
    // A platform that refused a running goldratio's token (store/token-notes.ts): of a process still
    // connected (PostgreSQL), or the one process of the file (SQLite; removed when it stops, and one
    // killed before it could, at the next start: until then, not said when it is of this machine and gone).
    // On a standby, whether a note's replica still runs cannot be seen: each is said as stored.
    const tokens = (await new TokenNotes(store).all()).filter((n) =>
      standby ? true : replicas === undefined ? mayRun(n.by) : replicas.some((r) => r.name === n.by),
    );
    const today = dateInZone(now, 'America/New_York');
    // STALE counts calendar days, as /status does; --json says it too, so a monitor need not recompute the calendar.
    const ageDays = (lastDate: string) => daysBetween(lastDate, today);
    const isStale = (r: (typeof rows)[number]) => r.lastDate !== undefined && ageDays(r.lastDate) > INSTRUMENT_INFO[r.instrument].staleAfterDays;
    // The stocks closed on a day gold has no price for (a UK holiday, a fix not fetched or skipped): said on gold's line.
    const gap = goldGap(
      rows.find((r) => r.instrument === 'gold')?.lastDate,
      rows.filter((r) => r.instrument === 'spx' || r.instrument === 'qqq').map((r) => r.lastDate),
    );
    if (values.json === true) {
      // gold's noPriceFor: the latest stock close it has no price of that day for, and whether its last price stands in.
      const gapJson = (r: (typeof rows)[number]) => (r.instrument === 'gold' && gap !== undefined ? { noPriceFor: gap.date, carried: gap.carried } : {});
      // unfetched only where a range is kept: [{ from, to }].
      const instruments = rows.map((row) => {
        const { unfetched, ...r } = row;
        return {
          ...(r.lastDate === undefined ? r : { ...r, ageDays: ageDays(r.lastDate), stale: isStale(row), ...gapJson(row) }),
          ...(unfetched.length === 0 ? {} : { unfetched }),
        };
      });
      const refused = tokens.map((n) => ({ platform: n.platform, by: n.by, since: new Date(n.since).toISOString(), leads: n.leads, reason: n.reason }));
      ctx.out(
        json({
          database: whereOf(ctx),
          ...(standby ? { standbyServer: true } : replicas === undefined ? {} : { replicas: replicas.map(replicaJson) }),
          ...(refused.length === 0 ? {} : { tokenRefused: refused }),
          instruments,
        }),
      );
      return 0;
    }
    const onPostgres = ctx.config.databaseUrl !== undefined;
    const lines = [`database ${whereOf(ctx)}${onPostgres || existsSync(ctx.config.databasePath) ? '' : ` (${missingFile(ctx.config.databasePath)})`}`];
    if (standby) lines.push(STANDBY_LINE);
    else if (replicas !== undefined) lines.push(replicasLine(replicas));
    for (const n of tokens) lines.push(tokenLine(n, replicas !== undefined || standby));
    for (const r of rows) {
      if (r.lastDate === undefined) {
        lines.push(`${r.instrument.padEnd(5)} no data`);
        continue;
      }
      // The age as `ratio` gives it (domain/close-age.ts): gold's since its source set it.
      const age = formatAge(closeAgeMs(r.lastDate, now.getTime(), { instrument: r.instrument, source: r.source }), 'en');
      const stale = isStale(r) ? '  STALE' : '';
      const missing =
        r.instrument === 'gold' && gap !== undefined ? `; ${t('en', gap.carried ? 'chat.status.goldMissing' : 'chat.status.goldGap', { date: gap.date })}` : '';
      const live = r.latestQuote
        ? `; live ${r.latestQuote.price} from ${r.latestQuote.source}, ${formatAge(now.getTime() - r.latestQuote.asOf, 'en')} old`
        : '';
      // M2 is a month's figure, published weeks after it ends: its month and level, as /status says
      // it, not "2026-06-01 … 187 d old", an age of a day's price it does not have (STALE still tells).
      const last =
        INSTRUMENT_INFO[r.instrument].frequency === 'monthly'
          ? `${r.lastDate.slice(0, 7)} ${r.lastClose} bn USD (${r.source})`
          : `${r.lastDate} ${r.lastClose} (${r.source}, ${age} old)`;
      lines.push(`${r.instrument.padEnd(5)} ${r.rows.toLocaleString('en-US').padStart(6)} rows  last ${last}${live}${missing}${stale}`);
    }
    // What a sync could not fetch from any source, kept to ask again at each sync (store/unfetched.ts): every range, by instrument.
    for (const r of rows) {
      if (r.unfetched.length > 0)
        lines.push(`${r.instrument.padEnd(5)} ${r.unfetched.map((u) => `${u.from}..${u.to}`).join(', ')} not fetched yet; asked again at each sync`);
    }
    // Nothing stored for some: say how it gets there (the bot's first start backfills on its own).
    const missing = rows.filter((r) => r.lastDate === undefined).map((r) => r.instrument);
    if (missing.length > 0) {
      const which = missing.length === rows.length ? 'no history yet' : `no history of ${missing.join(', ')} yet`;
      lines.push(`${which}: \`goldratio backfill\` fetches it (the bot does on its first start), or load CSVs with \`goldratio import\``);
    }
    ctx.out(lines.join('\n'));
    return 0;
  },
};

/**
 * status on a database a newer goldratio migrated (a rolling upgrade, run from an old replica's
 * machine): who leads and the replicas, read from the server's sessions as always, and one line
 * saying that the rest (the prices, the refused tokens) is for the new version's status. No table of
 * goldratio's is read but schema_migrations, whose shape no migration changes: the others' may have.
 */
async function sessionsOnly(ctx: CliContext, store: StoreDb, newer: NewerSchema, asJson: boolean): Promise<number> {
  const standby = await serverInRecovery(store);
  const replicas = standby ? [] : ((await replicaSessions(store)) ?? []);
  if (asJson) {
    ctx.out(
      json({
        database: whereOf(ctx),
        ...(standby ? { standbyServer: true } : { replicas: replicas.map(replicaJson) }),
        newerSchema: { version: newer.version, known: newer.known, ...(newer.migratedAt === undefined ? {} : { migratedAt: newer.migratedAt }) },
      }),
    );
    return 0;
  }
  ctx.out([`database ${whereOf(ctx)}`, standby ? STANDBY_LINE : replicasLine(replicas, newer), newerSchemaLine(newer)].join('\n'));
  return 0;
}

/** "schema version 27 (migrated at …) is newer than this goldratio's 26: …". */
export function newerSchemaLine(n: NewerSchema): string {
  const at = n.migratedAt === undefined ? '' : ` (migrated at ${n.migratedAt})`;
  return (
    `schema version ${n.version}${at} is newer than this goldratio's ${n.known}: only the replicas are shown, read from the server's sessions; ` +
    `the prices and the rest are for the status of a goldratio that knows schema version ${n.version} (the new version)`
  );
}

/** Whether process `by` ("host pid N") may still run: not when it is of this machine and no process has its pid. */
function mayRun(by: string): boolean {
  const pid = Number(/ pid (\d+)$/.exec(by)?.[1]);
  // Another machine's (a database on a shared volume), or not a name this version writes: said as it is.
  if (!(pid > 0) || processName(pid) !== by) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: a process of another user has it, running.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** "telegram: token refused on host-a pid 7 since …, which keeps the lead (…): <its /readyz line>". */
function tokenLine(n: TokenNote, replicas: boolean): string {
  const where = replicas ? ` on ${n.by}` : '';
  const lead = n.leads ? ', which keeps the lead (a standby runs with the same token and would be refused too)' : '';
  return `${n.platform}: token refused${where} since ${new Date(n.since).toISOString()}${lead}: ${n.reason}`;
}

const replicaJson = (r: ReplicaSession) => ({
  name: r.name,
  leads: r.leads,
  election: r.election,
  starting: r.starting,
  ...(r.since === undefined ? {} : { since: new Date(r.since).toISOString() }),
});

/** status's replicas line on a standby server, where "none connected" would be false. */
export const STANDBY_LINE =
  'replicas: not seen from here: this server is a standby in recovery (a read replica), and goldratio runs on the primary; point DATABASE_URL at the primary to see them';

/** A replica connected by its pool alone: its election has no session (refused, or not reaching the server). */
const NO_ELECTION = 'no election session: it cannot lead; its log says why';
/** A replica connected by its pool alone while it starts (migrations, the wait for another's, its platforms made). */
const STARTING = 'starting: not in the leader election yet';

/**
 * "replicas: 2 connected: host-a pid 7 leads (since …), host-b pid 9", or why none leads: on a schema
 * newer than this code (`newer`), no standby of this version takes the lead, whatever the wait.
 */
function replicasLine(replicas: readonly ReplicaSession[], newer?: NewerSchema): string {
  if (replicas.length === 0) return 'replicas: none connected (no goldratio start runs on this database)';
  const named = replicas.map((r) =>
    r.leads
      ? `${r.name} leads${r.since === undefined ? '' : ` (connected since ${new Date(r.since).toISOString()})`}`
      : r.election
        ? r.name
        : `${r.name} (${r.starting ? STARTING : NO_ELECTION})`,
  );
  const none = replicas.some((r) => r.leads)
    ? ''
    : newer !== undefined
      ? `, none leads: replicas older than schema version ${newer.version} do not lead; start one of the new version`
      : replicas.some((r) => r.election)
        ? ", none leads yet (a standby takes the lead within 15 s of the last leader's end)"
        : replicas.some((r) => r.starting)
          ? ', none leads yet: a replica is still starting'
          : ', nobody can lead now: no replica has an election session';
  return `replicas: ${replicas.length} connected${none}: ${named.join(', ')}`;
}
