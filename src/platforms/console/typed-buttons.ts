/**
 * A terminal draws no buttons: under a reply that has some, each button's typed form, the command a
 * press would run (`[3M] /chart spx 3m`), so the reader of the console knows what to type. One rule
 * for every command's buttons (chat/buttons.ts's typedAction reads the action), in the chat's language.
 */
import { typedAction } from '../../chat/buttons.ts';
import type { Button, Line } from '../../chat/reply.ts';
import { t, type Lang } from '../../domain/i18n/index.ts';

/**
 * The lines that stand for `buttons` on the console: under a heading, one line a button; none when no
 * button has a typed form. A mute's end read again in a zone is no command of its own (the action holds
 * the end as read, not as typed): its buttons are the zones to add to the reader's /mute, under a
 * heading that says so, not under the one promising what a press would do.
 */
export function typedButtonLines(lang: Lang, buttons: readonly (readonly Button[])[]): Line[] {
  const commands: Line[] = [];
  const zones: Line[] = [];
  for (const b of buttons.flat()) {
    const typed = typedAction(b.action);
    if (typed === undefined) continue;
    // The current choice marked as Telegram marks it.
    const label = `[${b.selected === true ? '• ' : ''}${b.label}] `;
    if ('typed' in typed) commands.push([label, { code: typed.typed }]);
    else zones.push([label, { code: typed.muteIn }]);
  }
  const under = (heading: string, lines: Line[]): Line[] => (lines.length === 0 ? [] : [[{ italic: t(lang, heading) }], ...lines]);
  return [...under('console.buttons.typed', commands), ...under('console.buttons.muteIn', zones)];
}
