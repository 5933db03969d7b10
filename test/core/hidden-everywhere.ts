/**
 * The checks every free-text masking rule owes, once: each case's secret is gone from an error's
 * text and line, and from a log line as its message and as a field, the line still one JSON object.
 * A case is `[text, secret, text as scrubSecrets leaves it]`.
 */
import { expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { errorLine } from '../../core/errors.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

export type HiddenCase = readonly [text: string, secret: string, hidden: string];

/** `field` names the log line's field the text goes in; `message` makes the line's message of it. */
export function hiddenInErrorsAndLogLines(
  cases: readonly HiddenCase[],
  field: string,
  message: (text: string) => string,
): void {
  it("is hidden from an error's text and line", () => {
    for (const [text, secret] of cases) {
      expect(safeErrorText(text)).not.toContain(secret);
      expect(errorLine(new Error(text))).not.toContain(secret);
    }
  });

  it('is hidden in a log line, as its message and as a field, and the line parses', () => {
    const { logger, lines } = lineLogger();
    for (const [text] of cases) logger.warn({ [field]: text }, message(text));
    expect(lines.length).toBe(cases.length);
    lines.forEach((line, i) => {
      const [text, secret] = cases[i] as HiddenCase;
      const entry = JSON.parse(line) as Record<string, string>;
      expect(entry[field]).not.toContain(secret);
      expect(entry.msg).not.toContain(secret);
      expect(entry[field]).toBe(scrubSecrets(text));
    });
  });
}
