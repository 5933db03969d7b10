/**
 * A private key in PEM (RFC 7468: `-----BEGIN … PRIVATE KEY-----`, its base64 body, `-----END …-----`)
 * quoted by whatever failed to read it — a TLS library's error, a signer's answer, a config value
 * printed back — stood whole in error text and log lines: no word around it names it a password,
 * and its body is no value a reference registered unless the key came from `${file:…}`.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { errorLine } from '../../core/errors.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

/** A synthetic key body: base64 lines of 64 characters, as OpenSSL writes them. */
function body(): string[] {
  const b64 = randomBytes(144).toString('base64');
  return [b64.slice(0, 64), b64.slice(64, 128), b64.slice(128)];
}
const block = (label: string, lines: readonly string[], eol = '\n'): string =>
  `-----BEGIN ${label}-----${eol}${lines.join(eol)}${eol}-----END ${label}-----`;

describe('a private key block in free text', () => {
  it('has its whole body hidden, the lines that name it kept', () => {
    for (const label of [
      'PRIVATE KEY',
      'RSA PRIVATE KEY',
      'EC PRIVATE KEY',
      'ENCRYPTED PRIVATE KEY',
      'OPENSSH PRIVATE KEY',
    ]) {
      const lines = body();
      const text = `signer: cannot read key: ${block(label, lines)} (bad decrypt)`;
      const hidden = scrubSecrets(text);
      for (const line of lines) expect(hidden).not.toContain(line.slice(0, 16));
      expect(hidden).toBe(
        `signer: cannot read key: -----BEGIN ${label}-----***-----END ${label}----- (bad decrypt)`,
      );
    }
  });

  it('is hidden on one line too, and cut before its end, up to where its body stops', () => {
    const lines = body();
    const oneLine = `key ${block('PRIVATE KEY', lines, ' ')} rejected`;
    expect(scrubSecrets(oneLine)).toBe(
      'key -----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY----- rejected',
    );
    const cut = `key -----BEGIN PRIVATE KEY-----\n${lines[0]}\n${(lines[1] as string).slice(0, 20)}`;
    const hidden = scrubSecrets(cut);
    expect(hidden).not.toContain((lines[0] as string).slice(0, 16));
    expect(hidden).not.toContain((lines[1] as string).slice(0, 16));
  });

  it("is hidden from an error's text and line", () => {
    const lines = body();
    const text = `tls: ${block('RSA PRIVATE KEY', lines)}`;
    for (const shown of [
      safeErrorText(text),
      safeErrorText(text, { bounded: false }),
      errorLine(new Error(text)),
    ])
      for (const line of lines) expect(shown).not.toContain(line.slice(0, 16));
  });

  it('is hidden in a log line, as its message and as a field, and the line parses', () => {
    const lines = body();
    const pem = block('PRIVATE KEY', lines);
    const { logger, lines: logged } = lineLogger();
    logger.warn({ key: pem, err: new Error(`cannot sign: ${pem}`) }, `signer refused ${pem}`);
    expect(logged.length).toBe(1);
    const line = logged[0] as string;
    JSON.parse(line);
    for (const l of lines) expect(line).not.toContain(l.slice(0, 16));
    expect(line).toContain('-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----');
  });

  it('leaves a certificate, which is public', () => {
    const cert = block('CERTIFICATE', body());
    expect(scrubSecrets(`chain: ${cert}`)).toBe(`chain: ${cert}`);
  });

  it('reads a line of 200 kB of a key body without an end in one pass', () => {
    const long = `-----BEGIN PRIVATE KEY-----${'A'.repeat(200_000)}`;
    expect(scrubSecrets(long)).toBe('-----BEGIN PRIVATE KEY-----***');
    const many = '-----BEGIN PRIVATE KEY----- '.repeat(7_000);
    expect(scrubSecrets(many)).toContain('-----BEGIN PRIVATE KEY-----');
  });
});
