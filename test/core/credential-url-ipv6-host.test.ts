/**
 * A URL whose host is an IPv6 address in brackets (`http://[::1]:8080/…`, RFC 3986 §3.2.2) and
 * whose path or query holds an `@` has no password: the address's `:` was read as the one after a
 * user, and the host, port and path up to the `@` were hidden (`http://[:***@b.c`), in a log line
 * and in what scrubSecrets gives. A user never holds a `[`.
 */
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

describe('a URL with an IPv6 host', () => {
  it('is left whole when it holds no password', () => {
    for (const text of [
      'GET http://[::1]:8080/api?email=a@b.c failed',
      'ws://[2001:db8::1]/x@y',
      'http://[fe80::1]:80/u@v',
    ]) {
      expect(scrubSecrets(text)).toBe(text);
      const { logger, lines } = lineLogger();
      logger.warn({ url: text }, text);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ url: text, msg: text });
    }
  });

  it('still has its password hidden, the address kept', () => {
    expect(scrubSecrets('postgres://u:Pw1x@[::1]:5432/db')).toBe('postgres://u:***@[::1]:5432/db');
    expect(scrubSecrets('ws://u:Pw1x@[2001:db8::1]/x')).toBe('ws://u:***@[2001:db8::1]/x');
  });
});
