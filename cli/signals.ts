/**
 * The signals a supervisor (systemd, a container runtime) or a terminal stops a long command with.
 * `licbridge worker` and `licbridge run` each stop on the first, in order (cli/commands/). This
 * module imports no driver: a command that only needs a signal's exit code loads nothing else.
 */
import { constants } from 'node:os';
import type { Logger } from '../core/logger.js';

/**
 * 128 + the signal's number, as a shell reports a process the signal ended: 143 for SIGTERM, 130
 * for SIGINT. A command stopped by one exits with it (`run`, `sign backfill`, `verify --json`…),
 * so a script's `licbridge … && next` does not go on.
 */
export function signalExitCode(signal: string): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);
}

/**
 * The next SIGTERM or SIGINT. Its listeners are removed when it comes, or by `off()`: a signal
 * with no listener left ends the process as Node's default does, instead of going unheard.
 */
export function nextSignal(): { signal: Promise<NodeJS.Signals>; off(): void } {
  let off = (): void => undefined;
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    const on = (s: NodeJS.Signals): void => {
      off();
      resolve(s);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
    off = () => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
    };
  });
  return { signal, off };
}

/**
 * A stop for a long command: `stop` is aborted on the next SIGTERM or SIGINT (its reason the
 * signal's name) once `logger` has warned `message`. `off()` stops listening, as `nextSignal`'s.
 */
export function stopOnNextSignal(logger: Logger, message: string): { stop: AbortSignal; off(): void } {
  const controller = new AbortController();
  const signals = nextSignal();
  void signals.signal.then((signal) => {
    logger.warn({ signal }, message);
    controller.abort(signal);
  });
  return { stop: controller.signal, off: signals.off };
}

/**
 * Runs `start` (a server's listen) already listening for the next SIGTERM or SIGINT, and returns
 * what it started with that signal to await. A command that says it is ready once `start` is done
 * (`listening on …`) is then heard by a stop sent on reading that line; listening only after it,
 * such a stop found none and Node's default ended the process at once, nothing closed.
 */
export async function startHearingStop<T>(
  start: () => Promise<T>,
): Promise<{ started: T; signal: Promise<NodeJS.Signals> }> {
  const stop = nextSignal();
  try {
    return { started: await start(), signal: stop.signal };
  } catch (e) {
    stop.off();
    throw e;
  }
}
