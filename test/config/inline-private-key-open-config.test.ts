// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` and `${env:…}` are config reference syntax, not template slips.
/**
 * A seal key written inline (`key: |` and the PEM) is only as secret as the config file: one group
 * or others can read is a leaked seal, as a `keyFile` of that mode is (which licbridge refuses).
 * `config check` warned for a secret read with `${file:…}` from such a file but said nothing of a
 * private key in the config file itself. It warns now, naming the setting and the file's mode, and
 * never quoting the key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSecretFiles } from '../../config/secret-file-modes.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-inline-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pem = generateKeyPairSync('ec', {
  namedCurve: 'prime256v1',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
/** The PEM's base64 body, none of which a warning may hold. */
const body = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));

const indented = (text: string, by: string): string =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => by + l)
    .join('\n');

/** A config holding `text`, written with `mode`; its path. */
function config(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

const signer = (key: string): string =>
  `signers:\n  seal:\n    kind: local-sm2\n    sealId: "3702110000001"\n    key: ${key}\n`;
const blockKey = `|\n${indented(pem, '      ')}\n`;

describe('a private key written in a config file others can read', () => {
  it('is warned about, naming the signer, the line and the mode, not the key', () => {
    const file = config('open.yaml', signer(blockKey), 0o644);
    const warnings = openSecretFiles(signer(blockKey), file, {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${file}:5:`);
    expect(warnings[0]).toContain('signers.seal.key');
    expect(warnings[0]).toContain('mode 0644');
    expect(warnings[0]).not.toContain('BEGIN');
    for (const line of body) expect(warnings[0]).not.toContain(line.slice(0, 16));
  });

  it('as the default of an env reference, which is written in the file too', () => {
    const key = JSON.stringify(`\${env:LB_NO_SUCH_VAR:-${pem}}`);
    const file = config('default.yaml', signer(key), 0o640);
    const warnings = openSecretFiles(signer(key), file, {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('signers.seal.key');
    expect(warnings[0]).toContain('mode 0640');
    for (const line of body) expect(warnings[0]).not.toContain(line.slice(0, 16));
  });

  it('as a TLS client key too, named by its setting', () => {
    const text = `targets:\n  province:\n    tls:\n      key: |\n${indented(pem, '        ')}\n`;
    const file = config('tls.yaml', text, 0o604);
    const warnings = openSecretFiles(text, file, {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${file}:4:`);
    expect(warnings[0]).toContain('targets.province.tls.key');
    expect(warnings[0]).toContain('mode 0604');
  });

  it('is not warned about in a config file of mode 0600', () => {
    const file = config('closed.yaml', signer(blockKey), 0o600);
    expect(openSecretFiles(signer(blockKey), file, {})).toEqual([]);
  });

  it('is not warned about when the key is read from a file', () => {
    const keyFile = config('seal.key', pem, 0o600);
    const text = signer(JSON.stringify(`\${file:${keyFile}}`));
    const file = config('by-ref.yaml', text, 0o644);
    expect(openSecretFiles(text, file, {})).toEqual([]);
  });
});
