/** How `until` polls and what it names when it gives up. */
export interface UntilOptions {
  /**
   * Milliseconds between probes.
   * @defaultValue 100
   */
  every?: number;
  /** What is awaited, named in the error on timeout ('condition not met' unless given). */
  what?: string;
}

/**
 * Waits until `probe` is true, polling every 100 ms (or `options.every`). A probe that throws
 * counts as false; the last thing it threw is the cause of the error `until` fails with after `ms`.
 * The default gives up well after the slowest wait seen with the whole suite running (3.1 s), and
 * before the test's own 60 s timeout, so a slow machine does not fail a test that is only waiting.
 */
export async function until(
  probe: () => boolean | Promise<boolean>,
  ms = 40_000,
  options: UntilOptions = {},
): Promise<void> {
  const { every = 100, what = 'condition not met' } = options;
  const end = Date.now() + ms;
  let thrown: unknown;
  while (Date.now() < end) {
    try {
      if (await probe()) return;
    } catch (e) {
      thrown = e;
    }
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`${what}: not within ${ms} ms`, thrown === undefined ? undefined : { cause: thrown });
}
