/**
 * A key of a credential ending a JSON or a printed string (`"url":"…?access_token="`, `'password='`)
 * has no value after it: the quote after its `=` closes that string. It was read as the value's
 * opening quote, and the value hidden up to the next string's opening quote, so a log line whose
 * field ended in `token=` lost the comma after it and no longer parsed, and the next field's name
 * was cut.
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
      msg: 'callback refused: {"url":"?access_token=","b":"kept"}',
    });
  });

  it('keeps the next string in what scrubSecrets gives, JSON or as Node prints it', () => {
    for (const text of [
      '{"a":"token=","b":"visible"}',
      '{"a":["pwd="],"b":"visible"}',
      '{"secret=":1,"b":"visible"}',
      "{'a': 'password=', 'b': 'kept'}",
      "{ a: 'password=' } and 'kept'",
    ])
      expect(scrubSecrets(text)).toBe(text);
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
