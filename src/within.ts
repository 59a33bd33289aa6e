/** What `within` answers when the bound passed first. */
export const NO_ANSWER: unique symbol = Symbol('no answer');

/**
 * `p`'s value, or NO_ANSWER once `ms` have passed first (`p` is left to settle on its own,
 * unwatched): a probe's bound (ops/bound.ts), a stop's budget (service-stack.ts).
 */
export async function within<T>(ms: number, p: Promise<T>): Promise<T | typeof NO_ANSWER> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<typeof NO_ANSWER>((resolve) => {
        timer = setTimeout(() => resolve(NO_ANSWER), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
