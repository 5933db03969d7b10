/**
 * A command whose work is over once its action returns (`run`, `demo`, and `worker` once it has
 * stopped) ends its process even when something it opened does not close. A BullMQ worker closed
 * while Redis was away never finished closing (pipelines/workers/stop-hard.ts now releases it),
 * and one connection left reconnecting, or a timer a library left behind, kept the process alive
 * after it had printed its summary: a scheduled `licbridge run` never exited, and the next one
 * started beside it. This stays as the net under causes not yet known. The work and its record are
 * complete by then — the ledger holds every outcome and the summary is written (stdout and
 * stderr to a pipe or file are written synchronously on Linux) — so ending loses nothing.
 *
 * Only the built command's entry point (main.ts) ends the process: a command run inside another
 * process (the tests' in-process CLI) merely marks itself finished.
 */
import type { Logger } from '../core/logger.js';

/** How long a finished command's process may linger before it is ended, ms. */
export const LINGER_MS = 5000;

let finished: { command: string; logger: Logger } | undefined;

/** Marks the running command finished: its work done and its output written. */
export function commandFinished(command: string, logger: Logger): void {
  finished = { command, logger };
}

/**
 * Called by main.ts once the command's action returned: if it marked itself finished, the process
 * ends `ms` later with its exit code unless it has ended by itself (the timer holds nothing open).
 */
export function endIfLingering(ms = LINGER_MS): void {
  const done = finished;
  if (!done) return;
  setTimeout(() => {
    done.logger.warn(
      { command: done.command, openHandles: process.getActiveResourcesInfo() },
      `${done.command}: finished, but connections or timers were still open ${ms / 1000} s later; ending the process`,
    );
    process.exit(process.exitCode ?? 0);
  }, ms).unref();
}
