/**
 * The separators inside a number as readers type them, read one way wherever the chat reads a number
 * (a ratio level, a move's percent, a mute's count): the point is the decimal mark, as every number
 * the bot writes has it (SPX/Gold 1.697), so `1.500` is 1.5. A comma is either mark: decimal in
 * `1,5` and `1,50` (no thousands group has fewer than three digits), grouping in `1,234.5` and
 * `1,234,567` (a point after it, or more than one), and in `1.234,5` the European way. One comma
 * before exactly three digits (`1,500`) is both: fifteen hundred to an English or Chinese reader,
 * one and a half to a European one. It is asked, never read as one of them (`1,000` is a thousand:
 * nobody writes the three zero decimals of a whole one). A space or an
 * apostrophe between groups of three (`1 500`, `1'500`) only ever groups.
 */

/** What a number's text reads as: its text with a point for its decimals and no grouping, or both readings of an ambiguous comma. */
export type NumberSeparators = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly asDecimal: string; readonly asThousands: string };

const SIGN = '([+-]?)';
/** Commas grouping: more than one (`1,234,567`) or a point after them (`1,234.5`). */
const COMMA_GROUPS = new RegExp(`^${SIGN}([1-9]\\d{0,2}(?:,\\d{3}){2,}(?:\\.\\d+)?|[1-9]\\d{0,2}(?:,\\d{3})+\\.\\d+)$`);
/** Points grouping and a decimal comma, the European way (`1.234,5`, `1.234.567`). */
const POINT_GROUPS = new RegExp(`^${SIGN}([1-9]\\d{0,2}(?:\\.\\d{3})+),(\\d+)$`);
/** Spaces or apostrophes grouping (`1 500`, `1'500`, `12 345.5`): never a decimal mark. */
const SPACE_GROUPS = new RegExp(`^${SIGN}([1-9]\\d{0,2}(?:[ '’]\\d{3})+)(\\.\\d+)?$`);
/** One comma before exactly three digits, its whole part not 0 (`0,500` groups nothing). */
const EITHER = new RegExp(`^${SIGN}([1-9]\\d{0,2}),(\\d{3})$`);
/** One comma, any other count of digits after it: a decimal comma (`1,5`, `0,25`, `,5`, `1,5000`). */
const DECIMAL_COMMA = new RegExp(`^${SIGN}(\\d*),(\\d+)$`);

/** How `text` (its digits ASCII, trimmed) reads as one number; text that is no such number is handed back as it is. */
export function numberSeparators(text: string): NumberSeparators {
  const either = EITHER.exec(text);
  // `1,000`: nobody writes the decimals of a whole one; thousands.
  if (either?.[3] === '000') return { ok: true, text: `${either[1]}${either[2]}000` };
  if (either !== null) {
    const [, sign, whole, part] = either;
    return { ok: false, asDecimal: `${sign}${whole}.${part!.replace(/0+$/, '')}`, asThousands: `${sign}${whole}${part}` };
  }
  const commas = COMMA_GROUPS.exec(text);
  if (commas !== null) return { ok: true, text: `${commas[1]}${commas[2]!.replaceAll(',', '')}` };
  const points = POINT_GROUPS.exec(text);
  if (points !== null) return { ok: true, text: `${points[1]}${points[2]!.replaceAll('.', '')}.${points[3]}` };
  const spaces = SPACE_GROUPS.exec(text);
  if (spaces !== null) return { ok: true, text: `${spaces[1]}${spaces[2]!.replace(/[ '’]/g, '')}${spaces[3] ?? ''}` };
  const decimal = DECIMAL_COMMA.exec(text);
  if (decimal !== null) return { ok: true, text: `${decimal[1]}${decimal[2]}.${decimal[3]}` };
  return { ok: true, text };
}
