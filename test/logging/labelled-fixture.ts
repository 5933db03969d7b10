/**
 * How a platform's reason reaches a person, for the labelled-name files (core/labelled-names.ts):
 * logged as a field and as a message's argument, and stored as a delivery's reason.
 */
import { expect } from 'vitest';
import { personalValuesOf, scrubPlatformReason } from '../../adapters/platforms/shared/platform-text.js';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { lineLogger } from '../support/log-lines.js';

/** `reason` logged under the field `reason` and in a message `refused: <reason>`, as each line holds it. */
export function logged(reason: string): { field: string; msg: string } {
  const { logger, lines } = lineLogger();
  logger.info({ reason }, 'refused');
  logger.info('refused: %s', reason);
  const [field, msg] = lines.map((l) => JSON.parse(l) as { reason?: string; msg: string });
  return { field: field?.reason ?? '', msg: msg?.msg ?? '' };
}

/** The text each of {@link logged}'s two lines shows of `reason`, the message's without `refused: `. */
export function loggedTexts(reason: string): string[] {
  const { field, msg } = logged(reason);
  return [field, msg.replace(/^refused: /, '')];
}

/** What a log line (maskNumberShapes masks its texts), an error's text and both logged lines show. */
export const everywhere = (text: string): string[] => [
  maskNumberShapes(text),
  safeErrorText(text),
  ...loggedTexts(text),
];

/** `reason` as a delivery stores it, for a license whose values are none of its words. */
export const stored = (reason: string): string =>
  scrubPlatformReason(reason, personalValuesOf(undefined, []));

/** Expects none of `parts` in what `text` shows: logged as a field and in a message, as an error's text, as stored. */
export function expectNoneShown(text: string, parts: readonly string[]): void {
  const { field, msg } = logged(text);
  for (const shown of [field, msg, safeErrorText(text), stored(text)])
    for (const part of parts) expect(shown).not.toContain(part);
}

/** Expects `text` shown whole: by the names' pass, in a logged field and as an error's text. */
export function expectShownWhole(text: string): void {
  expect(hideLabelledNames(text)).toBe(text);
  expect(logged(text).field).toBe(text);
  expect(safeErrorText(text)).toBe(text);
}
