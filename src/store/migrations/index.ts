/**
 * Numbered migrations, applied in order at start. Never edit a released migration: add the next
 * number. Each lives in its own file so that work on different tables does not collide.
 */
import { m001 } from './001-quotes.ts';
import { m002 } from './002-alerts.ts';
import { m004 } from './004-digest.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [m001, m002, m004];
