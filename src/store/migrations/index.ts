/**
 * Numbered migrations, applied in order at start. Never edit a released migration: add the next
 * number. Each lives in its own file so that work on different tables does not collide.
 */
import { m001 } from './001-quotes.ts';
import { m002 } from './002-alerts.ts';
import { m003 } from './003-typed-outbox.ts';
import { m004 } from './004-digest.ts';
import { m005 } from './005-quiet-and-moves.ts';
import { m006 } from './006-reach.ts';
import type { Db } from '../db.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** Runs after `sql`, in the same transaction: for data that SQL alone cannot rewrite. */
  readonly up?: (db: Db) => void;
}

export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006];
