/** A test's own cleanups, for files whose tests run at once (test.concurrent) and so share no list. */

/** Something to undo when the test ends. */
export type Later = (undo: () => unknown) => void;

/**
 * A test's own cleanups, undone in reverse when it ends (vitest's `onTestFinished`, from the test's
 * context): a file-wide list emptied in `afterEach` would run one test's cleanups at another's end.
 */
export function cleanupsOf(onTestFinished: (f: () => Promise<void>) => void): Later {
  const undo: (() => unknown)[] = [];
  onTestFinished(async () => {
    for (const f of undo.splice(0).reverse()) await f();
  });
  return (f) => void undo.push(f);
}
