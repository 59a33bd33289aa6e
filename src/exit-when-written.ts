/**
 * Ends the process with `code` once what it wrote to stdout and stderr has left it: a command that
 * leaves work running (start's stop past STOP_TIMEOUT_SECONDS) must end at once, and process.exit
 * alone drops what still waits in a pipe's queue. A reader behind by the pipe's 64 KiB (a log
 * shipper that stalled, `goldratio start | tee`) then lost the stop's one line, the one naming what
 * was left. An empty write's callback comes once every write before it is out; a reader that takes
 * nothing in `capMs` does not hold the exit longer.
 */
export async function exitWhenWritten(code: number, capMs = 1000, streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): Promise<never> {
  let timer: NodeJS.Timeout | undefined;
  const written = streams.map(
    (s) =>
      new Promise<void>((resolve) => {
        if (s.destroyed || !s.writable) resolve();
        else s.write('', () => resolve());
      }),
  );
  await Promise.race([Promise.all(written), new Promise<void>((resolve) => (timer = setTimeout(resolve, capMs)))]);
  clearTimeout(timer);
  process.exit(code);
}
