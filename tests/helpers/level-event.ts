/** One alert in the outbox, on either engine, without a world (tests/helpers/telegram-harness.ts seedEvent is this on a world's file). */
import type { StoreDb } from '../../src/store/engine.ts';
import { EventStore } from '../../src/store/events.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { runUnit } from '../../src/store/unit.ts';
import { alertMessage } from '../../src/domain/alert-message.ts';

/** Records a break below the essay's 2.5 of SPX/Gold on `nowMs`'s day, fanned out to every chat that holds it on `db`; returns its id. */
export function levelEvent(db: StoreDb, nowMs = Date.now()): Promise<number> {
  const outbox = new OutboxStore(db);
  const events = new EventStore(db);
  const event = {
    date: new Date(nowMs).toISOString().slice(0, 10),
    pair: 'spx-gold',
    levelId: 'spx-gold-2.5',
    watchKey: 'spx-gold-2.5',
    kind: 'cross-down',
    direction: 'down',
    value: 1.83,
    levelValue: 2.5,
    basis: 'close',
    createdAt: nowMs,
  } as const;
  return runUnit(db, function* () {
    const id = yield* events.insert(event);
    const message = yield* outbox.addMessage('alert', alertMessage(event), `event:${id}`, nowMs);
    yield* outbox.fanOut(message, 'spx-gold-2.5', false, nowMs);
    return id;
  });
}
