/** The shape of one `goldratio` subcommand and the context it runs in. */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { CommandSpec } from './specs.ts';

export interface CliContext {
  readonly config: Config;
  readonly log: Logger;
  /** Opens the database on first use (so `--help` works without one). */
  db(): Db;
  /** Standard output (results); logs go to stderr. */
  out(text: string): void;
  /** Standard error, for diagnostics that are not log lines (e.g. the bad rows of an import). */
  err(text: string): void;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop when it fires. */
  readonly signal: AbortSignal;
}

export interface Command extends CommandSpec {
  /** Returns the exit code. Throws UserError for a clear one-line failure. */
  run(args: readonly string[], ctx: CliContext): Promise<number>;
}

/** A mistake of the user's (bad argument, missing file): printed as one line, exit code 2. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
