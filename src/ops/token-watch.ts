/**
 * A platform that refused the bot's token, followed from its /readyz line (the same line
 * goldratio_platform_off_reason reads, so the three never disagree): noted in the store for
 * `goldratio status` (store/token-notes.ts) while it lasts, and, on a replica that leads, said once
 * in the log and on /readyz as the lead it keeps.
 *
 * Why the leader keeps its lead: a standby runs with the same token (the replicas share one
 * configuration), so it would be refused too, and giving up the lead would stop the schedule, the
 * dispatcher and the other platforms for nothing. A new token on every replica and a restart is
 * what helps, and the line says so.
 */
import type { Logger } from '../log.ts';
import type { TokenNotes } from '../store/token-notes.ts';
import { oneLine } from '../one-line.ts';
import { offReason } from './platform-off.ts';

/** How often the platforms' lines are read: a refusal shows in `goldratio status` within this. */
export const TOKEN_WATCH_MS = 1_000;

export interface TokenWatch {
  /** Reads every platform's line now, writing or removing its note on a change. */
  check(): Promise<void>;
  /** For /readyz, on a leader that keeps its lead with a platform's token refused; else undefined. */
  leadNote(): string | undefined;
  /** Stops reading and removes this process's notes (best effort: a database gone keeps them, status then names a process no longer connected). */
  stop(): Promise<void>;
}

export interface TokenWatchOptions {
  readonly platforms: readonly { readonly platform: string; readonly readiness: () => string | undefined }[];
  readonly notes: TokenNotes;
  /** This process, as `goldratio status` names it. */
  readonly by: string;
  /** On PostgreSQL: replicas, of which one leads. */
  readonly replicas: boolean;
  readonly leading: () => boolean;
  readonly log: Logger;
  readonly now: () => number;
  readonly everyMs?: number;
}

interface Refusal {
  readonly reason: string;
  readonly since: number;
  /** The note as written (reason and lead), or undefined while not (yet) written. */
  written: string | undefined;
  /** Said in the log as a lead kept. */
  said: boolean;
}

export function watchTokenRefusals(o: TokenWatchOptions): TokenWatch {
  const refused = new Map<string, Refusal>();
  let running: Promise<void> | undefined;
  let stopped = false;
  let cleared = false;
  const leads = () => o.replicas && o.leading();
  const keepLine = (platform: string, reason: string) =>
    `${platform}: keeping the lead with its token refused (${reason}): a standby runs with the same token and would be refused too, and the schedule, the dispatcher and the other platforms run on here. Set the new token on every replica and restart them`;

  const once = async (): Promise<void> => {
    if (!cleared) {
      // Before this process writes any: the notes of one that ended without removing them (killed),
      // of this name (a container's pid 1 on a kept host), and on SQLite, one process per file, any.
      await o.notes.removeLeft(o.by, !o.replicas);
      cleared = true;
    }
    for (const p of o.platforms) {
      const line = p.readiness();
      const now = line !== undefined && offReason(line) === 'token_refused' ? line : undefined;
      let r = refused.get(p.platform);
      if (now === undefined) {
        if (r === undefined) continue;
        // The note removed before the refusal is forgotten: a store that fails now keeps it in the map,
        // so the next read removes it (forgotten first, status named a refusal that had ended).
        if (r.written !== undefined) await o.notes.remove(p.platform, o.by);
        refused.delete(p.platform);
        // Said by a leader that still leads (one that let go stopped polling: nothing refused, nothing taken).
        if (r.said && leads()) o.log.info(`${p.platform}: the token is taken again`);
        continue;
      }
      if (r === undefined || r.reason !== now) {
        r = { reason: now, since: r?.since ?? o.now(), written: r?.written, said: r?.said ?? false };
        refused.set(p.platform, r);
      }
      if (!r.said && leads()) {
        r.said = true;
        o.log.warn(keepLine(p.platform, now));
      }
      const note = JSON.stringify([now, leads()]);
      if (r.written !== note) {
        await o.notes.put({ platform: p.platform, by: o.by, reason: now, since: r.since, leads: leads() });
        r.written = note;
      }
    }
  };
  // A store that fails is said once, when it starts failing and when it keeps the notes again: not a line a read.
  let failing = false;
  const check = (): Promise<void> => {
    running ??= once()
      .then(() => {
        if (failing) o.log.debug('token notes: kept again');
        failing = false;
      })
      .catch((e: unknown) => {
        if (!failing) o.log.debug(`token notes: ${oneLine(e)}; tried again every ${Math.round((o.everyMs ?? TOKEN_WATCH_MS) / 1000)} s`);
        failing = true;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void check();
  }, o.everyMs ?? TOKEN_WATCH_MS);
  timer.unref();
  return {
    check,
    leadNote() {
      if (!leads()) return undefined;
      const names = [...refused.keys()];
      if (names.length === 0) return undefined;
      return `the lead is kept with ${names.join(' and ')}'s token refused: a standby runs with the same token and would be refused too, and the schedule, the dispatcher and the other platforms run on here`;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      for (const [platform, r] of refused) if (r.written !== undefined) await o.notes.remove(platform, o.by).catch(() => undefined);
      refused.clear();
    },
  };
}
