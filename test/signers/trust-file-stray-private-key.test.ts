/**
 * A trust file is public material: a private key in it means the wrong file was named, or a key
 * pasted where it does not belong, and it is refused. Only whole PEM blocks were looked at, a BEGIN
 * line and the END line of the same label: a private key whose END line was cut off or mislabelled
 * (copied by hand, `-----END EC PRIVATE KEY-----` under `-----BEGIN PRIVATE KEY-----`) was passed
 * over, and the file loaded with the keys beside it, the private key left in it unremarked. Any
 * private key's BEGIN line is refused now, without quoting the key.
 */
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { parseTrustFile } from '../../adapters/signers/trust-file.js';

const pair = generateSm2KeyPair();
const body = pair.privateKeyPem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));

/** The message parsing `text` as trust file `old.pem` fails with; '' when it loads. */
function refusal(text: string): string {
  try {
    parseTrustFile('/etc/licbridge/trust/old.pem', text);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('a private key left in a trust file', () => {
  for (const [what, privateKey] of [
    ['its END line cut off', `-----BEGIN PRIVATE KEY-----\n${body.join('\n')}\n`],
    [
      'its END line of another label',
      `-----BEGIN PRIVATE KEY-----\n${body.join('\n')}\n-----END EC PRIVATE KEY-----\n`,
    ],
  ] as const) {
    it(`is refused next to a public key, ${what}, quoting none of it`, () => {
      const message = refusal(`${pair.publicKeyPem}${privateKey}`);
      expect(message).toBe(
        'trust: /etc/licbridge/trust/old.pem: holds a private key (a PRIVATE KEY line after block 1); list the certificate or the public key instead',
      );
      for (const line of body) expect(message).not.toContain(line.slice(0, 16));
    });
  }

  it('a file of public keys only still loads', () => {
    expect(refusal(`${pair.publicKeyPem}${pair.publicKeyPem}`)).toBe('');
  });
});
