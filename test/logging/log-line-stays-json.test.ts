/**
 * A log line stays one JSON object whatever its strings hold. The credential rules read the line as
 * free text, so a field ending in a key's words took the field's closing quote for a value's
 * opening one (`"v":"Please enter\npassword:"***"msg":…`), and the line no longer parsed.
 */
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../support/log-lines.js';

const SECRET = 'S3cr3tV4lue';

describe('a log line whose strings end in a credential key', () => {
  it('still parses, each field as it was logged', () => {
    const { logger, lines } = lineLogger();
    const texts = [
      'Please enter\npassword:',
      'missing fields: host, password:',
      '{password:',
      'retry, token:',
      'password="C:\\',
    ];
    for (const v of texts) logger.info({ v }, v);
    expect(lines.length).toBe(texts.length);
    lines.forEach((line, i) => {
      const entry = JSON.parse(line) as { v: string; msg: string };
      expect(entry.v.startsWith((texts[i] as string).slice(0, 3))).toBe(true);
      expect(typeof entry.msg).toBe('string');
    });
  });

  it('parses and holds no secret after password=, over lines built from fragments', () => {
    const fragments = [
      '"',
      "'",
      '=',
      ':',
      '\\',
      'token=',
      'password:',
      'pwd={',
      '{',
      '}',
      '[',
      ']',
      ',',
      '\n',
      '鲁食药监',
      ' ',
      'abc',
      'Authorization: ',
      'X-Api-Key: ',
      "'set-cookie': [ '",
      'Cookie: ',
      '"password":"',
      'password="',
      "password='",
      'access_token=',
    ];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const text = (): { value: string; secret: boolean } => {
      let value = '';
      let secret = false;
      for (let k = next(8); k >= 0; k--) {
        if (next(6) === 0) {
          value += ` password=${SECRET}`;
          secret = true;
        }
        value += fragments[next(fragments.length)];
      }
      return { value, secret };
    };
    const { logger, lines } = lineLogger();
    let secrets = 0;
    for (let i = 0; i < 20_000; i++) {
      const msg = text();
      const a = text();
      const key = text();
      logger.info({ v: a.value, [key.value]: 1, w: [text().value] }, msg.value);
      if (msg.secret || a.secret || key.secret) secrets++;
    }
    expect(lines.length).toBe(20_000);
    expect(secrets).toBeGreaterThan(1000);
    const broken = lines.filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken.slice(0, 3)).toEqual([]);
    expect(lines.filter((line) => line.includes(SECRET)).slice(0, 3)).toEqual([]);
  });

  it('hides a password under pwd in a line hidden string by string', () => {
    // Hidden string by string, a key and its value are read apart, and only the logger's key names
    // hide a value then: `pwd` was none, and its value went out whole where the line fell back.
    const { logger, lines } = lineLogger();
    logger.info({ pwd: SECRET }, 'missing fields: host, password:');
    logger.info({ conn: { PWD: SECRET, pwd: [SECRET] }, hint: 'retry, token:' }, 'm');
    logger.info({ dbPwd: SECRET }, 'm');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain(SECRET);
    }
  });
});
