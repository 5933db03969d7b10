/**
 * A URL's port followed by a `,` — a field after it (`dsn=postgres://db:5432,notify="ops@corp.cn"`)
 * or libpq's next host (`postgres://h1:5432,h2:5433/lic`) — with an `@` later in the word: since
 * 53917f4f an escaped quote (`\"`, as a log line writes it) no longer ends the URL's word, so the
 * port and all up to that `@` were taken for a password (`postgres://db:***@corp.cn\"`), the field
 * eaten. A port before a `,` is a port, as before a `/`; a password holding an escaped quote is
 * still hidden (./credential-url-password-escapes.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

describe("a URL's port before a `,` and an `@` later", () => {
  it('stays, and the field after it, in a log line that parses', () => {
    const { logger, lines } = lineLogger();
    const text = 'dsn=postgres://db:5432,notify="ops@corp.cn"';
    logger.warn({ conf: text }, `bad ${text}`);
    const entry = JSON.parse(lines[0] as string) as { conf: string; msg: string };
    expect(entry.conf).toBe(text);
    expect(entry.msg).toBe(`bad ${text}`);
  });

  it("stays as libpq's hosts, a password before them still hidden", () => {
    const hosts = 'postgres://h1:5432,h2:5433/lic?application_name=a@b';
    expect(scrubSecrets(hosts)).toBe(hosts);
    expect(scrubSecrets('postgres://lb:Pw9x@h1:5432,h2:5433/lic')).toBe(
      'postgres://lb:***@h1:5432,h2:5433/lic',
    );
    expect(scrubSecrets('dsn=postgres://db:5432,notify=\\"ops@corp.cn\\"')).toBe(
      'dsn=postgres://db:5432,notify=\\"ops@corp.cn\\"',
    );
  });
});
