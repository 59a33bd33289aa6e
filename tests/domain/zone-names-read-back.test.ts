/**
 * Every name the bot shows for a zone it offers, it reads back as that zone: the city on a button or
 * among an abbreviation's choices (都柏林, Buenos Aires: the catalogue's `zone.city.*`), the clock a
 * setting is said back in (都柏林時間, Dublin time), in every language, typed in a chat of any language
 * (a Chinese city in an English chat too), and the English ones as people type them (lower case,
 * underscores for spaces). The IST prompt lists 都柏林 Europe/Dublin: `/digest 08:00 都柏林` must be Dublin; Urumqi's
 * question a button 新疆時間 (Xinjiang's own clock), typed back as that clock though the city is asked.
 */
import { describe, expect, test } from 'vitest';
import { OFFERED_ZONES, resolveTimeZoneIn } from '../../src/domain/digest-schedule.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';
import { zoneButtonLabel, zoneName } from '../../src/chat/labels.ts';

/** A zone a question offers beyond those: Urumqi's own clock, on the button beside Beijing's. */
const urumqi = resolveTimeZoneIn('Urumqi', 'en');
const ASKED_ONLY = urumqi.kind === 'ambiguous' ? urumqi.choices.filter((z) => !OFFERED_ZONES.includes(z)) : [];

const shown = [...OFFERED_ZONES, ...ASKED_ONLY].flatMap((zone) =>
  LANGS.flatMap((lang) => [...new Set([zoneButtonLabel(lang, zone), zoneName(lang, zone), zone])].map((name) => [name, lang, zone] as const)),
);

describe('every zone name the bot shows is read back as its zone', () => {
  test('GIVEN the names walked THEN there are the offered zones’ names in every language (the walk is not empty)', () => {
    expect(OFFERED_ZONES.length).toBeGreaterThan(50);
    expect(shown.map(([name]) => name)).toEqual(
      expect.arrayContaining(['都柏林', '耶路撒冷', '莫斯科', '檀香山', 'Buenos Aires', 'Ho Chi Minh City', '都柏林時間', '新疆時間', 'Xinjiang time']),
    );
  });

  test('GIVEN each name shown, typed in a chat of each language THEN it is the zone it names', () => {
    const wrong = shown.flatMap(([name, shownIn, zone]) =>
      LANGS.flatMap((chat) => {
        const r = resolveTimeZoneIn(name, chat);
        return r.kind === 'zone' && r.zone === zone ? [] : [`${shownIn} "${name}" in a ${chat} chat: ${JSON.stringify(r)}, not ${zone}`];
      }),
    );
    expect(wrong).toEqual([]);
  });

  test('GIVEN an English city as people type it (lower case, underscores, without its City) THEN its zone', () => {
    const typed = [
      ['buenos aires', 'America/Argentina/Buenos_Aires'],
      ['Buenos_Aires', 'America/Argentina/Buenos_Aires'],
      ['BUENOS AIRES', 'America/Argentina/Buenos_Aires'],
      ['ho chi minh city', 'Asia/Ho_Chi_Minh'],
      ['Ho Chi Minh', 'Asia/Ho_Chi_Minh'],
      ['Saigon', 'Asia/Ho_Chi_Minh'],
      ['pago_pago', 'Pacific/Pago_Pago'],
      // Renamed zones whose city kept its name: the old and new IANA names are one city, not two.
      ['Cordoba', 'America/Argentina/Cordoba'],
      ['Indianapolis', 'America/Indiana/Indianapolis'],
      // A Chinese city without its 市, as 胡志明市 is also said.
      ['胡志明', 'Asia/Ho_Chi_Minh'],
      ['阿德萊德', 'Australia/Adelaide'],
    ] as const;
    expect(typed.map(([name]) => [name, resolveTimeZoneIn(name, 'en')])).toEqual(typed.map(([name, zone]) => [name, { kind: 'zone', zone }]));
  });
});
