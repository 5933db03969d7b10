/**
 * A key of a credential ending a JSON or a printed string (`"url":"…?access_token="`, `'password='`)
 * has no value after it: the quote after its `=` closes that string. It was read as the value's
 * opening quote, and the value hidden up to the next string's opening quote, so a log line whose
 * field ended in `token=` lost the comma after it and no longer parsed, and the next field's name
 * was cut. Such a line is now hidden string by string (scrub-log-line.ts); in free text the quote
 * still opens a value, as a password may start with any sign (credential-quoted-opener).
 */
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

describe('a credential key that ends a string', () => {
  it('leaves a log line that parses, with the field after it', () => {
    const { logger, lines } = lineLogger();
    logger.warn(
      { url: 'https://h.example/cb?access_token=', page: 2 },
      'callback refused: {"url":"?access_token=","b":"kept"}',
    );
    expect(lines.length).toBe(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      url: 'https://h.example/cb?access_token=',
      page: 2,
    });
    // The message is free text: the quote after its `=` may open a password, so what follows is
    // hidden (c.f. credential-quoted-opener); the line still parses (scrub-log-line.ts).
    expect((JSON.parse(lines[0] as string) as { msg: string }).msg).toMatch(
      /^callback refused: \{"url":"\?access_token="/,
    );
  });

  it('keeps the key and what precedes it in what scrubSecrets gives, the next string maybe hidden', () => {
    // A quote after `=` opens a value whatever follows it (a password may start with `,`):
    // hiding the next string too is the safe side.
    for (const text of [
      '{"a":"token=","b":"visible"}',
      '{"a":["pwd="],"b":"visible"}',
      '{"secret=":1,"b":"visible"}',
      "{'a': 'password=', 'b': 'kept'}",
      "{ a: 'password=' } and 'kept'",
    ])
      expect(scrubSecrets(text).startsWith(text.slice(0, text.indexOf('=') + 1))).toBe(true);
  });

  it('still hides a quoted value that starts after the key', () => {
    expect(scrubSecrets('password="Pw 1x", next')).toBe('password="***", next');
    expect(scrubSecrets("Password='a b';Server=x")).toBe("Password='***';Server=x");
  });

  it('still hides a quoted value that starts with a comma or a colon', () => {
    expect(scrubSecrets('Password=",a b";Server=x')).toBe('Password="***";Server=x');
    expect(scrubSecrets("pwd=':x y' rest")).toBe("pwd='***' rest");
    expect(scrubSecrets('password=", Pw1x"')).toBe('password="***"');
  });
});
