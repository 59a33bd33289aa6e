/**
 * A signed number typed alone where a command takes a time or hours and a zone (`/quiet -7`,
 * `/digest -7`): more likely a time cut short, or a guess at the syntax, than a move to UTC-7.
 * The commands set nothing then and show both readings (quiet.ts, digest.ts).
 */
import { resolveTimeZone } from '../domain/digest-schedule.ts';
import { numberText } from '../domain/han-fold.ts';
import { zoneLabel } from './labels.ts';

/** A signed number and nothing else (`-7`, `+8`, `-07:00`): an offset without its UTC. */
const LONE_OFFSET = /^[+\-\u2212]\d{1,2}(?::?\d{2})?$/;

export const isLoneOffset = (word: unknown): word is string => typeof word === 'string' && LONE_OFFSET.test(numberText(word).trim());

/** The zone a lone offset would name (`UTC-7`); undefined for one no clock keeps (-15), refused as a zone as it always was. */
export function loneOffsetZone(input: string): string | undefined {
  const given = resolveTimeZone(input);
  return given.kind === 'zone' ? zoneLabel(given.zone) : undefined;
}
