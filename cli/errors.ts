import { maskByShape, stackFrames } from '../core/error-text.js';
import {
  ConfigError,
  failureMessage,
  formatProblem,
  isLicbridgeError,
  printedMessage,
} from '../core/errors.js';
import { scrubSecrets } from '../core/scrub.js';
import { terminalSafe } from '../core/terminal-text.js';

/**
 * Exit codes: 1 when work failed, 2 when the config or the command line is wrong, 3 when the work
 * was done and something needs a person (status's findings, a run's dead letters), 4 when nothing
 * was started (or, for `source forget`, forgotten) because another run holds the pipeline
 * (`LB_PIPELINE_BUSY`: try again later).
 */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_ATTENTION = 3;
export const EXIT_BUSY = 4;

/** Prints an error the way a user can act on it (no stack unless LICBRIDGE_DEBUG is set); returns the exit code. */
export function reportError(error: unknown): number {
  const debug = Boolean(process.env.LICBRIDGE_DEBUG);
  if (error instanceof ConfigError) {
    // Problems quote the file's own text and, with `config check --connect`, a driver's or a
    // platform's words: no escape sequence reaches the terminal, as for every other error.
    for (const p of error.problems) process.stderr.write(terminalSafe(`${maskedText(formatProblem(p))}\n`));
    process.stderr.write(
      `licbridge: ${error.problems.length} problem(s) in ${problemsIn(error)}; nothing was run\n`,
    );
    return EXIT_USAGE;
  }
  // A message may quote a driver or a platform: no escape sequence reaches the terminal, and a
  // value it quotes or echoes is hidden as status and the ledger hide it (failureMessage), printed
  // whole however long. A licbridge error's own backticks name config values and are kept, and so
  // are the license ids, catalog codes and option values it names (numbers masked by shape only);
  // a driver's or an HTTP client's words, which licbridge did not write, may quote a value of a
  // row or a request (`invalid input syntax for type bigint: "110105…"`) in theirs too.
  const own = isLicbridgeError(error);
  const message = printedMessage(error);
  // The stack opens with the message, driver's words and all: its frames follow the safe one.
  const stack = () => {
    if (debug && error instanceof Error && error.stack)
      process.stderr.write(terminalSafe(`${error.name}: ${message}${stackFrames(error)}\n`));
  };
  if (own) {
    process.stderr.write(terminalSafe(`licbridge: ${message} [${error.code}]\n`));
    stack();
    if (error.code === 'LB_PIPELINE_BUSY') return EXIT_BUSY;
    return error.code === 'LB_USAGE' || error.code === 'LB_CONFIG_INVALID' ? EXIT_USAGE : EXIT_FAILED;
  }
  const code = (error as { code?: unknown } | null)?.code;
  const shownCode =
    (typeof code === 'string' || typeof code === 'number') && !message.includes(String(code))
      ? ` (${failureMessage(String(code)).message})`
      : '';
  process.stderr.write(terminalSafe(`licbridge: unexpected failure: ${message}${shownCode}\n`));
  stack();
  return EXIT_FAILED;
}

/**
 * What the problems were found in, for the summary line: `context.read` when the thrower says
 * (`licbridge test`'s paths), mapping test files when every problem names one, else the config.
 * "in the config" sent a person to licbridge.yaml for a typo in a test path.
 */
function problemsIn(error: ConfigError): string {
  const read = error.context.read;
  if (typeof read === 'string') return read;
  const tests = error.problems.length > 0 && error.problems.every((p) => /\.test\.ya?ml$/i.test(p.file));
  return tests ? 'the mapping test file(s)' : 'the config';
}

/**
 * A config problem as it may be printed: values from config references replaced, numbers masked by
 * shape as a licbridge error's printed message is (resident ID, mobile and PRC passport numbers,
 * an individual business's credit code: `1101**********002X`, `*******8000`, `E*******8`,
 * `9237**********E10F`). Its quotes are the config file's own text, kept.
 */
function maskedText(text: string): string {
  return maskByShape(scrubSecrets(text));
}
