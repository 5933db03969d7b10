/**
 * A quoted password holding its own quote escaped (`password='P\'more'`): in a log line the
 * backslash is written escaped itself (`password='P\\'more'`), and the value's end was looked for
 * as if that pair were a backslash of the value alone, so the quote after it ended the hiding and
 * the rest of the password stood in the line.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

describe('a quoted password holding an escaped quote', () => {
  it('is hidden whole in free text', () => {
    expect(scrubSecrets("conn: password='P\\'m0re9' rest")).toBe("conn: password='***' rest");
    expect(safeErrorText("conn: password='P\\'m0re9' rest")).not.toContain('m0re9');
  });

  it('is hidden whole in a log line, as its message and as a field, and the line parses', () => {
    const { logger, lines } = lineLogger();
    logger.warn({ dsn: "password='P\\'m0re9' host=db" }, "connect failed: password='P\\'m0re9' host=db");
    logger.warn({ dsn: "password='a\\\\' host=db" }, 'an escaped backslash at the end');
    expect(lines.length).toBe(2);
    const first = JSON.parse(lines[0] as string) as { dsn: string; msg: string };
    expect(first.dsn).not.toContain('m0re9');
    expect(first.msg).not.toContain('m0re9');
    expect(first.msg).toContain('host=db');
    JSON.parse(lines[1] as string);
  });
});
