/**
 * A terminal draws no buttons: under a reply that has some, each button's typed form, the command a
 * press would run (`[3M] /chart spx 3m`), so the reader of the console knows what to type. One rule
 * for every command's buttons (chat/buttons.ts's typedAction reads the action), in the chat's language.
 */
import { typedAction } from '../../chat/buttons.ts';
import type { Button, Line } from '../../chat/reply.ts';
import { t, type Lang } from '../../domain/i18n/index.ts';

/** The lines that stand for `buttons` on the console: a heading, then one line a button; none when no button has a typed form. */
export function typedButtonLines(lang: Lang, buttons: readonly (readonly Button[])[]): Line[] {
  const lines: Line[] = [];
  for (const b of buttons.flat()) {
    const typed = typedAction(b.action);
    if (typed === undefined) continue;
    // The current choice marked as Telegram marks it.
    const label = `[${b.selected === true ? '• ' : ''}${b.label}] `;
    lines.push('typed' in typed ? [label, { code: typed.typed }] : [label, t(lang, 'console.buttons.muteIn', { zone: typed.muteIn })]);
  }
  return lines.length === 0 ? [] : [[{ italic: t(lang, 'console.buttons.typed') }], ...lines];
}
