/**
 * What a delivery's partSent throws once the process has stopped taking (Dispatcher.stopTaking, a
 * stop running out of time): the part just delivered is stored, nothing more of the send starts, and
 * the rest goes from the next start (its row resumes at the first part not delivered).
 */
export class SendHalted extends Error {
  override name = 'SendHalted';
  constructor() {
    super('stopping: the rest of this message goes from the next start');
  }
}
