#!/usr/bin/env node
import { EXIT_FAILED, reportError } from './errors.js';
import { endIfLingering } from './linger.js';
import { buildProgram } from './program.js';

/**
 * A rejection no code awaited, or an exception no code caught (a library's callback, a timer), is
 * reported as every other failure is and ends the process. Node's own printout shows every field
 * of the error: an HTTP client's error with its request headers (Authorization) and body (holder
 * data), unscrubbed.
 */
function fatal(error: unknown): never {
  let code = EXIT_FAILED;
  try {
    code = reportError(error);
  } catch {
    process.stderr.write('licbridge: unexpected failure\n');
  }
  // An uncaught exception leaves the process in an unknown state: it ends here, never non-zero.
  process.exit(code === 0 ? EXIT_FAILED : code);
}
process.on('unhandledRejection', fatal);
process.on('uncaughtException', fatal);

buildProgram(process.argv)
  .then((program) => program.parseAsync(process.argv))
  .then(() => endIfLingering())
  .catch((error: unknown) => {
    process.exitCode = reportError(error);
    // A command that failed after it marked itself finished (a repair given up after Redis went
    // away, its workers stopped hard) ends as one that succeeded does.
    endIfLingering();
  });
