/**
 * MySQL's `SET PASSWORD FOR <account> = '…'` read its account between `FOR` and `=` by three parts
 * that could each take a space (`FOR[ \t]+`, the account, `[ \t]*` before `=`): a long run of
 * spaces after `FOR` was split between them every way there is, and 250 kB of them in a line never
 * came back. The account now starts at its first sign that is no space and runs to the `=`, one way
 * only; the password after it is hidden as before.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { scrubLogLine } from '../../core/scrub-log-line.js';

describe('SET PASSWORD FOR followed by a long run of spaces', () => {
  it('is read through once', () => {
    for (const gap of [' ', '\t', ' \t'])
      expect(scrubSecrets(`SET PASSWORD FOR${gap.repeat(100_000)}=`)).toContain('SET PASSWORD FOR');
    const line = scrubLogLine(
      `${JSON.stringify({ level: 40, msg: `SET PASSWORD FOR${' '.repeat(100_000)}= 'x` })}\n`,
    );
    expect(JSON.parse(line)).toMatchObject({ level: 40 });
    expect(safeErrorText(`SET PASSWORD FOR${' '.repeat(100_000)}=`, { bounded: false })).toContain(
      'SET PASSWORD FOR',
    );
  });

  it("still hides the password, an account's spaces before `=` or not", () => {
    expect(scrubSecrets("SET PASSWORD FOR 'lb'@'%' = 'Sup3r9x'")).toBe("SET PASSWORD FOR 'lb'@'%' = '***'");
    expect(scrubSecrets("SET PASSWORD FOR 'lb'@'%'='Sup3r9x'")).toBe("SET PASSWORD FOR 'lb'@'%'='***'");
    expect(scrubSecrets("set password for   lb  =  PASSWORD('Sup3r9x')")).toBe(
      "set password for   lb  =  PASSWORD('***')",
    );
  });
});
