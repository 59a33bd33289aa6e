/**
 * A platform that refused the bot's token, heard the moment it says so (platforms/adapter.ts
 * TokenEvents: its notifier, polling or gateway rings, and the line its /readyz says is read then,
 * the line goldratio_platform_off_reason reads, so the three never disagree): noted in the store for
 * `goldratio status` (store/token-notes.ts) while it lasts, and, on a replica that leads, said once
 * in the log and on /readyz as the lead it keeps. Nothing is read on a timer: a store that failed a
 * write is tried again `retryMs` later, until it keeps the notes.
 *
 * Why the leader keeps its lead: a standby runs with the same token (the replicas share one
 * configuration), so it would be refused too, and giving up the lead would stop the schedule, the
 * dispatcher and the other platforms for nothing. A new token on every replica and a restart is
 * what helps, and the line says so.
 */
import type { Logger } from '../log.ts';
import type { TokenEvents } from '../platforms/adapter.ts';
import type { TokenNotes } from '../store/token-notes.ts';
import { oneLine } from '../one-line.ts';

/** After a store that failed to keep a note: how soon it is tried again. */
export const TOKEN_NOTES_RETRY_MS = 1_000;

export interface TokenWatch {
  /** Reads every platform's refusal now, writing or removing its note on a change (the start's first, and each event's). */
  check(): Promise<void>;
  /** This replica took or let go of the lead: a refusal's note says whether it leads, and a leader says it keeps its lead. */
  leadChanged(): void;
  /**
   * This replica reached the database again after losing it (its election's first try that did): a
   * note the retention job pruned meanwhile (a replica not connected) is written again.
   */
  reached(): void;
  /** Resolves when what the events started is written (or failed): for tests. */
  settled(): Promise<void>;
  /** For /readyz, on a leader that keeps its lead with a platform's token refused; else undefined. */
  leadNote(): string | undefined;
  /** Stops listening and removes this process's notes (best effort: a database gone keeps them, status then names a process no longer connected). */
  stop(): Promise<void>;
}

export interface TokenWatchOptions {
  readonly platforms: readonly { readonly platform: string; readonly token: TokenEvents }[];
  readonly notes: TokenNotes;
  /** This process, as `goldratio status` names it. */
  readonly by: string;
  /** On PostgreSQL: replicas, of which one leads. */
  readonly replicas: boolean;
  readonly leading: () => boolean;
  readonly log: Logger;
  readonly now: () => number;
  readonly retryMs?: number;
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
  const retryMs = o.retryMs ?? TOKEN_NOTES_RETRY_MS;
  let running: Promise<void> | undefined;
  /** A check asked for while one runs: run once more after it, as what it read may be behind. */
  let again: Promise<void> | undefined;
  let stopped = false;
  let cleared = false;
  let retry: NodeJS.Timeout | undefined;
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
      const now = p.token.refused();
      let r = refused.get(p.platform);
      if (now === undefined) {
        if (r === undefined) continue;
        // The note removed before the refusal is forgotten: a store that fails now keeps it in the map,
        // so the next try removes it (forgotten first, status named a refusal that had ended).
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
      const n = { platform: p.platform, by: o.by, reason: now, since: r.since, leads: leads() };
      if (r.written !== note) {
        await o.notes.put(n);
        r.written = note;
      } else if (o.replicas && (await o.notes.putIfMissing(n))) {
        // Pruned while this replica was not connected (store/token-notes.ts pruneGone): status and the
        // other replicas named no refusal though it lasts.
        o.log.info(`${p.platform}: its refused-token note was gone (pruned while this replica was not connected); written again`);
      }
    }
  };
  // A store that fails is said once, when it starts failing and when it keeps the notes again: not a line a try.
  let failing = false;
  const run = (): Promise<void> =>
    once()
      .then(() => {
        if (failing) o.log.debug('token notes: kept again');
        failing = false;
      })
      .catch((e: unknown) => {
        if (!failing) o.log.debug(`token notes: ${oneLine(e)}; tried again every ${Math.round(retryMs / 1000)} s`);
        failing = true;
        if (!stopped && retry === undefined) {
          retry = setTimeout(() => {
            retry = undefined;
            if (!stopped) void check();
          }, retryMs);
          retry.unref();
        }
      });
  const check = (): Promise<void> => {
    if (running === undefined) {
      running = run().finally(() => {
        running = undefined;
      });
      return running;
    }
    again ??= running.then(() => {
      again = undefined;
      return check();
    });
    return again;
  };
  const heard = () => {
    if (!stopped) void check();
  };
  const settled = async (): Promise<void> => {
    while (running !== undefined || again !== undefined) await (again ?? running);
  };
  const unlisten = o.platforms.map((p) => p.token.listen(heard));
  return {
    check,
    leadChanged: heard,
    reached: heard,
    settled,
    leadNote() {
      if (!leads()) return undefined;
      const names = [...refused.keys()];
      if (names.length === 0) return undefined;
      return `the lead is kept with ${names.join(' and ')}'s token refused: a standby runs with the same token and would be refused too, and the schedule, the dispatcher and the other platforms run on here`;
    },
    async stop() {
      stopped = true;
      for (const u of unlisten) u();
      if (retry !== undefined) clearTimeout(retry);
      await settled();
      for (const [platform, r] of refused) if (r.written !== undefined) await o.notes.remove(platform, o.by).catch(() => undefined);
      refused.clear();
    },
  };
}
