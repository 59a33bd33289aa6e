/**
 * How long a fake's waitFor waits by default: a bound for a call that never comes, with room under
 * the tests' 30 s for the error that names what came instead. Not a measure of speed: a bot's first
 * chart or first /ratio took over 10 s on a loaded 2-core machine, and a wait that ends as soon as
 * the call comes costs a fast machine nothing.
 */
export const WAIT_MS = 20_000;
