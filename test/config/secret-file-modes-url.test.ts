// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * `config check` warns of a secret read with `${file:…}` from a file group or others can read —
 * but only under a key named like a secret (`password`, `secret`, …). A database password kept in
 * a file and put into a URL (`url: "postgres://lb:${file:./ledger.pw}@db/ledger"`), or a whole
 * URL with its password read from a file, went unreported however open the file was.
 */
import { describe, expect, it } from 'vitest';
import { openSecretFiles } from '../../config/secret-file-modes.js';
import { openSecretFilesDir } from './open-secret-file.js';

const { file, open } = openSecretFilesDir('lb-secret-url-');

describe('secrets read into URLs', () => {
  it('a password file inside a URL is reported when others can read it', () => {
    const pw = open('ledger.pw', 'Pw-0f-the-Ledger\n');
    const text = 'ledger: { url: "postgres://lb:${file:./ledger.pw}@127.0.0.1:5432/ledger" }\n';
    const warnings = openSecretFiles(text, file, {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${file}:1:`);
    expect(warnings[0]).toContain(`ledger.url`);
    expect(warnings[0]).toContain(`reads ${pw}, open to group or others (mode 0644)`);
    expect(warnings[0]).not.toContain('Pw-0f-the-Ledger');
  });

  it('a file holding a whole URL with a password likewise', () => {
    open('redis.url', 'redis://:Redis-Pa55word@10.0.0.5:6379\n');
    const warnings = openSecretFiles('queue: { redis: "${file:./redis.url}" }\n', file, {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('queue.redis');
    expect(warnings[0]).not.toContain('Redis-Pa55word');
  });

  it('a file holding a URL without a password, or a certificate, is no secret', () => {
    open('province.url', 'https://platform.example/api\n');
    open('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const text = 'targets:\n  p: { url: "${file:./province.url}", tls: { ca: "${file:./ca.pem}" } }\n';
    expect(openSecretFiles(text, file, {})).toEqual([]);
  });
});

describe('the URL test on a long value', () => {
  // No timing is asserted: a quadratic test took 80 s at 200,000 colons, so at 400,000 it runs
  // for minutes and the test's generous timeout ends it; the linear one takes milliseconds.
  it('takes linear time: a file of colons is read at once', { timeout: 60_000 }, () => {
    open('colons', `a://${':'.repeat(400_000)}`);
    expect(openSecretFiles('queue: { redis: "${file:./colons}" }\n', file, {})).toEqual([]);
  });
});
