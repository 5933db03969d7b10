/**
 * An individual business's credit code (GB 32100 `92…`) in a config problem the CLI prints
 * (`expect.holder_code: expected 92…, got 92…`, a mapping test's): its numbers are masked by
 * shape, as a licbridge error's printed message is, and that masking now holds the code
 * (90cb1c35) — but the problems were masked by a copy of the older rule, which showed it whole.
 * Both now use one rule.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { printedError } from '../cli/printed-error.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe("an individual business's credit code in a config problem printed", () => {
  it('is masked as in a printed error, in either case, the problem kept', () => {
    const error = new ConfigError([
      {
        file: '/maps/holders.test.yaml',
        line: 7,
        column: 5,
        path: 'cases.0.expect.holder_code',
        message: 'expected 92370211MA3098E10F, got 92370211ma3098e10f for 91370406L24894136J',
      },
    ]);
    const { text } = printedError(error);
    expect(text).not.toMatch(/92370211MA3098E10F/i);
    expect(text).toContain('expected 9237**********E10F, got 9237**********e10f for 91370406L24894136J');
    expect(text).toContain('/maps/holders.test.yaml:7:5');
  });
});
