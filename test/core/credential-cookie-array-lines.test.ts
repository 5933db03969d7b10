/**
 * Set-Cookie as an array printed over several lines, as Node prints a long one
 * (`{ 'set-cookie': [\n    'sid=…; Path=/',\n  ] }`) and as JSON.stringify(x, null, 2) writes it:
 * QUOTED_KEY took no line break after the `[`, raw or escaped in a log line (`\n`), so each cookie
 * went out whole.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

/** Made up: letters of both cases and digits, as session ids are. */
const SID = 'Zx81kQ2pLmN0vB7rT4yW9eSd';
const headers = { 'set-cookie': [`sid=${SID}; Path=/; HttpOnly`, `lang=${SID}x; Path=/`] };
const texts = [inspect(headers), JSON.stringify(headers, null, 2), JSON.stringify(headers, null, '\t')];

describe('a Set-Cookie array printed over several lines', () => {
  it('has each cookie hidden in free text, the key kept', () => {
    for (const text of texts) {
      expect(text).toContain('\n');
      const hidden = scrubSecrets(text);
      expect(hidden).not.toContain(SID);
      expect(hidden).toContain('set-cookie');
    }
  });

  it('has each cookie hidden in a log line, which still parses', () => {
    const { logger, lines } = lineLogger();
    for (const text of texts) logger.info({ headers: text }, `answer headers: ${text}`);
    expect(lines.length).toBe(texts.length);
    for (const line of lines) {
      expect(line).not.toContain(SID);
      expect(JSON.parse(line)).toMatchObject({ headers: expect.stringContaining('set-cookie') });
    }
  });
});
