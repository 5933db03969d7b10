/**
 * A syntax error is said in the YAML parser's words, and some of them quote the text they stopped
 * at: a password starting with `|` or `>` ("Block scalar header includes extra characters:
 * |Gx9…"), a backslash in a double-quoted one ("Invalid escape sequence \xZZ"), a value the parser
 * could not place ("Unexpected scalar token in YAML stream: "Gx9…""). Each printed a secret, or a
 * piece of one, in config check and in every command's error. They are said without the text, at
 * the same line, with what to do.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../config/loader.js';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

const SECRET = 'Gx9k2Secret';
const withPassword = (written: string): string =>
  `${VALID_CONFIG}serve:\n  auth:\n    username: ops\n    password: ${written}\n`;

describe('a YAML syntax error beside a secret', () => {
  it.each([
    ['a password starting with `|`', `|${SECRET}`, /`\|` or `>`.*quote the value/],
    ['a password starting with `>-`', `>-${SECRET}`, /`\|` or `>`.*quote the value/],
    ['a \\x escape in double quotes', `"${SECRET}\\xZZ"`, /backslash/],
    ['a \\u escape in double quotes', `"${SECRET}\\u12Gk"`, /backslash/],
  ])('%s is said at its line without the text', async (_, written, what) => {
    const text = withPassword(written);
    const { problems, error } = await problemsOf(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.line).toBe(positionOf(text, written).line);
    expect(problems[0]?.message).toMatch(what);
    const shown = formatConfigError(error);
    expect(shown).not.toContain(SECRET.slice(3));
    expect(shown).not.toContain('ZZ');
    expect(shown).not.toContain('12Gk');
  });

  it('the tokens after the end of the document are said once, none of them quoted', async () => {
    // A list item above the mappings: YAML ends the document at the first key and reads every token
    // after it as outside the document, each said with its text.
    const text = `- ops\n${withPassword(SECRET)}`;
    const { problems, error } = await problemsOf(text);
    const outside = problems.filter((p) => p.message.includes('after the end of the document'));
    expect(outside).toHaveLength(1);
    expect(outside[0]?.message).toMatch(/\d+ more such tokens after it not listed/);
    expect(problems.length).toBeLessThan(5);
    expect(formatConfigError(error)).not.toContain(SECRET);
  });
});
