/**
 * The places the tests of personal numbers glued to letters (id-glued-to-letters,
 * mobile-glued-to-letters) look at a record key in: an error's text, text scrubbed of personal
 * data, and a log line of an error naming it.
 */
import { ErrorCodes, type FailureMessageOptions, failureMessage, LicbridgeError } from '../../core/errors.js';
import { scrubPersonal } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

/**
 * Checks with `expectHidden` what each of `keys` shows as: in an error's text (formatted with
 * `options`), in text scrubbed of personal data, and in the log line of an error naming it.
 */
export function expectHiddenInTexts(
  keys: readonly string[],
  expectHidden: (shown: string, key: string) => void,
  options?: FailureMessageOptions,
): void {
  for (const key of keys) {
    expectHidden(failureMessage(new Error(`record ${key} refused`), options).message, key);
    expectHidden(
      scrubPersonal(`platform: key ${key} rejected`, [], () => '***'),
      key,
    );
    const { logger, lines } = lineLogger();
    logger.error(
      {
        err: new LicbridgeError(ErrorCodes.SOURCE_SCHEMA, `row ${key}: bad`, {
          context: { recordKey: key },
        }),
      },
      'extract: failed',
    );
    expectHidden(lines.join('\n'), key);
  }
}
