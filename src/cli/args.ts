/** Argument helpers shared by the subcommands: strict parsing, dates, pairs. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isIsoDate } from '../domain/dates.ts';
import { parsePair, type PairId } from '../domain/instruments.ts';
import { UserError } from './command.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict; its errors become one-line UserErrors. */
export function parseCli<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError((e as Error).message.split(/\.\s|\n/)[0] ?? 'bad arguments');
  }
}

export function dateArg(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value)) throw new UserError(`${name} must be a date YYYY-MM-DD, got "${value}"`);
  return value;
}

export function pairArg(value: string | undefined, usage: string): PairId {
  if (value === undefined) throw new UserError(`missing pair. Usage: goldratio ${usage}`);
  const pair = parsePair(value);
  if (pair === undefined) throw new UserError(`unknown pair "${value}": use spx-gold or qqq-gold`);
  return pair;
}

export const json = (value: unknown): string => JSON.stringify(value, null, 2);
