/**
 * Whether a chat that takes no photos from the bot was told so: its alerts come as text, and the
 * line saying why the chart is left out is said once, not under every alert. Kept in the meta table
 * (keys `telegram.no_photos:<chat>`, the time it was said), so replicas and a restart agree; said
 * again after NOTE_LASTS_MS, for a chat whose admins gave the right back and took it again since.
 */
import type { MetaStore } from '../../store/meta.ts';
import { metaClaimedNote, metaToldNote, type ClaimedNote, type ToldNote } from '../../store/told-note.ts';

const PREFIX = 'telegram.no_photos:';
const NOTE_LASTS_MS = 30 * 86_400_000;

/** Whether the chat was told lately that its alerts come without their chart (told), and that it was, now (tell). */
export type NoPhotosNote = ToldNote;

export function metaNoPhotosNote(meta: Pick<MetaStore, 'get' | 'set'>): NoPhotosNote {
  return metaToldNote(meta, PREFIX, NOTE_LASTS_MS);
}

/**
 * Whether a chat whose alerts stopped was told, when the bot could post there again, why and how to
 * resume (handlers.ts my_chat_member): said once, not again on each later rise (unrestricted, then
 * promoted) within a day (keys `telegram.rights_back:<chat>`). Claimed before it is sent: the
 * handler and the start's scan (rights-scan.ts) never both tell a chat.
 */
export function metaRightsBackNote(meta: Pick<MetaStore, 'get' | 'set' | 'update'>): ClaimedNote {
  return metaClaimedNote(meta, 'telegram.rights_back:', 86_400_000);
}
