/**
 * A private key whose line breaks are written as the two characters `\n` — a key kept in an
 * environment variable or a JSON value (`"key":"-----BEGIN PRIVATE KEY-----\nMIIE…"`) — and so
 * `\\n` once a log line escapes its backslash: the body's end was taken at the first backslash
 * not starting `\n`, and the whole body stood in a log line. Its escapes are read through now, up
 * to the `-----END` line, or where the run of body characters and escapes stops. A label in lower
 * case (`-----begin private key-----`) was not looked for at all.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { scrubLogLine } from '../../core/scrub-log-line.js';
import { lineLogger } from '../support/log-lines.js';

/** A synthetic key body: base64 lines of 64 characters, as OpenSSL writes them. */
function body(): string[] {
  const b64 = randomBytes(144).toString('base64');
  return [b64.slice(0, 64), b64.slice(64, 128), b64.slice(128)];
}
/** A key as an environment variable holds it: its line breaks the two characters `\n`. */
const escaped = (lines: readonly string[], label = 'PRIVATE KEY'): string =>
  `-----BEGIN ${label}-----\\n${lines.join('\\n')}\\n-----END ${label}-----\\n`;
const shows = (text: string, lines: readonly string[]): boolean =>
  lines.some((line) => text.includes(line.slice(0, 16)) || text.includes(line.slice(-16)));

describe('a private key whose line breaks are written `\\n`', () => {
  it('has its body hidden in free text, as written and escaped again', () => {
    const lines = body();
    const pem = escaped(lines);
    expect(scrubSecrets(`SIGNER_KEY=${pem} bad`)).toBe(
      'SIGNER_KEY=-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----\\n bad',
    );
    const twice = pem.replaceAll('\\', '\\\\');
    expect(scrubSecrets(`"key: ${twice} bad"`)).toBe(
      '"key: -----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----\\\\n bad"',
    );
  });

  it('is hidden in a log line, as its message, a field and a JSON answer, and the line parses', () => {
    const lines = body();
    const pem = escaped(lines, 'RSA PRIVATE KEY');
    const { logger, lines: logged } = lineLogger();
    logger.warn(
      { env: `SIGNER_KEY=${pem}`, answer: JSON.stringify({ key: pem.replaceAll('\\n', '\n') }) },
      `bad key ${pem}`,
    );
    expect(logged.length).toBe(1);
    const line = logged[0] as string;
    const entry = JSON.parse(line) as { env: string; answer: string; msg: string };
    expect(shows(line, lines)).toBe(false);
    expect(entry.msg).toBe('bad key -----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----\\n');
    JSON.parse(entry.answer);
  });

  it('is hidden up to the string holding it when cut before its end', () => {
    const lines = body();
    const cut = `-----BEGIN PRIVATE KEY-----\\n${lines[0]}\\n${(lines[1] as string).slice(0, 30)}`;
    const line = scrubLogLine(`${JSON.stringify({ msg: `key: ${cut}`, next: 'kept' })}\n`);
    const entry = JSON.parse(line) as { msg: string; next: string };
    expect(entry.msg).toBe('key: -----BEGIN PRIVATE KEY-----***');
    expect(entry.next).toBe('kept');
  });

  it("is hidden from an error's text", () => {
    const lines = body();
    for (const text of [`tls: ${escaped(lines)}`, `tls: ${escaped(lines).replaceAll('\\', '\\\\')}`])
      expect(shows(safeErrorText(text, { bounded: false }), lines)).toBe(false);
  });
});

describe('a private key block labelled in lower case', () => {
  it('has its body hidden', () => {
    const lines = body();
    const pem = `-----begin private key-----\n${lines.join('\n')}\n-----end private key-----`;
    expect(scrubSecrets(`key ${pem} rejected`)).toBe(
      'key -----begin private key-----***-----end private key----- rejected',
    );
    expect(shows(safeErrorText(`key ${pem}`, { bounded: false }), lines)).toBe(false);
  });
});
