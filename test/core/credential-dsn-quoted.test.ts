/**
 * A connection string quotes a password that holds a space or a `;` (`Password='a b';`,
 * `password="…"`), and ODBC braces one (`PWD={x;y}`, a `}` inside written `}}`). `password=` was
 * followed only by a bare value: a quoted or braced one was left whole in a log line and in what
 * scrubSecrets gives, and an error's text showed the part of a braced one after its `;`. A SQL
 * placeholder after `password =` (`SET password = $1`) is no password and was hidden.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

/** Made up: a password with a space and a `;` in it, as only quotes or braces can carry. */
const secret = (): string => `P${randomBytes(4).toString('hex')} x;${randomBytes(4).toString('hex')}`;

describe('a quoted or braced password in a connection string', () => {
  it('is hidden between its quotes or braces, the rest of the string kept', () => {
    const s = secret();
    const inner = s.split(/[ ;]/).pop() as string;
    for (const [text, hidden] of [
      [`Server=db;User Id=sa;Password='${s}';Database=x`, "Server=db;User Id=sa;Password='***';Database=x"],
      [`host=db password="${s}" dbname=x`, 'host=db password="***" dbname=x'],
      [`DSN=x;UID=lb;Pwd={${s}};Database=q`, 'DSN=x;UID=lb;Pwd={***};Database=q'],
      [`DSN=x;PWD={a}}b;${inner}};Database=q`, 'DSN=x;PWD={***};Database=q'],
      [`token = "${s}" refused`, 'token = "***" refused'],
      [`Password='it\\'s ${inner}';Database=x`, "Password='***';Database=x"],
    ])
      expect(scrubSecrets(text as string)).toBe(hidden);
  });

  it("is hidden from an error's text and a log line, which still parses", () => {
    const s = secret();
    const inner = s.split(/[ ;]/).pop() as string;
    for (const text of [
      `Server=db;Password='${s}';Database=x`,
      `DSN=x;Pwd={${s}};Database=q`,
      `password="${s}"`,
    ]) {
      expect(safeErrorText(text, { bounded: false })).not.toContain(inner);
      const { logger, lines } = lineLogger();
      logger.warn({ conn: text, next: 'kept' }, `login failed: ${text}`);
      expect(lines.length).toBe(1);
      expect(lines[0]).not.toContain(inner);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ next: 'kept' });
    }
  });

  it('is hidden to where its text ends when cut before its closing quote or brace', () => {
    expect(scrubSecrets("Password='Pw 1x")).toBe("Password='***");
    expect(scrubSecrets('Pwd={Pw;1x\nnext line')).toBe('Pwd={***\nnext line');
  });

  it('finishes on 100 kB of openers and no close', () => {
    for (const text of [
      "password='".repeat(10_000),
      'pwd={'.repeat(20_000),
      `password="${'\\'.repeat(100_000)}`,
      `pwd={${'}}'.repeat(50_000)}`,
    ]) {
      const hidden = scrubSecrets(text);
      expect(scrubSecrets(hidden)).toBe(hidden);
    }
  });
});

describe('a SQL placeholder after a password key', () => {
  it('is left as it is, as no password', () => {
    for (const text of [
      'UPDATE accounts SET password = $1 WHERE id = $2',
      'INSERT INTO users (name, password) VALUES (?, ?) -- password=?',
      'UPDATE accounts SET pwd = :1, secret = @p2',
    ]) {
      expect(scrubSecrets(text)).toBe(text);
      expect(safeErrorText(text, { bounded: false })).toBe(text);
    }
  });

  it('does not keep a password that only starts like one', () => {
    expect(scrubSecrets('password=$1x9!')).toBe('password=***');
    expect(scrubSecrets('password=?pw')).toBe('password=***');
  });
});
