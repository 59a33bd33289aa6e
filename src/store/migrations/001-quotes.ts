import type { Migration } from './index.ts';

export const m001: Migration = {
  version: 1,
  name: 'quotes',
  steps: (t) => [
    `-- Daily closes of spx, qqq, gold and monthly M2 (dated the 1st), one row per (instrument, date).
    CREATE TABLE closes (
      instrument TEXT NOT NULL CHECK (instrument IN ('spx','qqq','gold','m2')),
      date       TEXT NOT NULL,
      close      ${t.real} NOT NULL CHECK (close > 0),
      source     TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (instrument, date)
    ) ${t.withoutRowid}`,
    `-- The latest intraday quote per instrument.
    CREATE TABLE latest_quotes (
      instrument TEXT PRIMARY KEY,
      price      ${t.real} NOT NULL CHECK (price > 0),
      as_of      ${t.bigint} NOT NULL,
      source     TEXT NOT NULL
    )`,
    `-- A price that moved more than MAX_MOVE_PCT from the last accepted one, held until confirmed.
    CREATE TABLE held_quotes (
      instrument TEXT NOT NULL,
      date       TEXT NOT NULL,
      price      ${t.real} NOT NULL,
      source     TEXT NOT NULL,
      held_at    TEXT NOT NULL,
      PRIMARY KEY (instrument, date)
    )`,
    `-- Small key/value facts: data_version (bumped on every change of closes), etc.
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `INSERT INTO meta (key, value) VALUES ('data_version', '0')`,
  ],
};
