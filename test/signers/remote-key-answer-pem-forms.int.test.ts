/**
 * The PEM text a signing server answers for its key is written in more ways than OpenSSL reads: a
 * Java server joining the lines (`-----BEGIN PUBLIC KEY-----MFkw…-----END PUBLIC KEY-----`), one
 * indenting it or putting blanks before it. Each failed open() with "the server's key is not an SM2
 * public key", of a key that was one. They are read as the key they hold now, its point recorded
 * as ever; so is the key's certificate, on one line. A key written as the bare point in hex (04 ‖ X ‖ Y) is still refused, and the message
 * says that is what came, as the protocol asks for SPKI PEM.
 */
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sameKey } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair, loadSm2PrivateKey, sm2SpkiDer } from '../../adapters/signers/local-sm2/keys.js';
import type { LocalServer } from '../support/listen-local.js';
import { makeTempDir, openssl, selfSignedCertificate } from './helpers.js';
import { remoteSigner, signaturesAnswer, signedWith, signingStandIn } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
const key = loadSm2PrivateKey('served', pair.privateKeyPem).privateKey;
const body = pair.publicKeyPem
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('-----'))
  .join('');

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serving(publicKey: string, certificate?: string) {
  server = await signingStandIn({
    key: () => JSON.stringify({ publicKey, certificate }),
    sign: (digests, res) => res.end(signaturesAnswer(signedWith(key, digests))),
  });
  return remoteSigner('city-seal', server.origin);
}

describe('the PEM forms of a signing server key answer', () => {
  it.each([
    ['on one line', `-----BEGIN PUBLIC KEY-----${body}-----END PUBLIC KEY-----`],
    ['indented, after a blank line', `\n  ${pair.publicKeyPem.split('\n').join('\n  ')}`],
    ['with CRLF line ends and its body in 76-character lines', pemWith(body, 76, '\r\n')],
  ])('%s: opened, and signatures verify with it', async (_form, publicKey) => {
    const signer = await serving(publicKey);
    await signer.open();
    try {
      expect(sameKey(signer.publicKeyPem(), pair.publicKeyPem)).toBe(true);
      const [record] = await signer.sign([Buffer.from('{"license":1}')]);
      expect(record?.signature.length).toBeGreaterThan(0);
    } finally {
      await signer.close();
    }
  });

  it("the key's certificate on one line: read, and recorded with its serial", async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      writeFileSync(join(dir, 'key.pem'), pair.privateKeyPem, { mode: 0o600 });
      selfSignedCertificate(dir, { key: 'key.pem', out: 'cert.pem' });
      const cert = new X509Certificate(openssl(['x509', '-in', 'cert.pem'], dir).output);
      const oneLine = cert.toString().replace(/\r?\n/g, '');
      const signer = await serving(pair.publicKeyPem, oneLine);
      await signer.open();
      try {
        expect(signer.keyInfo().certificateSerial).toBe(cert.serialNumber.toUpperCase());
      } finally {
        await signer.close();
      }
    } finally {
      cleanup();
    }
  });

  it('the bare point in hex: refused, saying that is what the server answered', async () => {
    const point = Buffer.from(sm2SpkiDer(pair.publicKeyPem)).subarray(-65).toString('hex');
    const signer = await serving(point);
    const error = await signer.open().then(
      () => undefined,
      (e: Error) => e,
    );
    await signer.close();
    expect(error?.message).toMatch(
      /^signer city-seal: \/v1\/keys\/seal-1: the server's key is not an SM2 public key: it is the point in hex \(04 ‖ X ‖ Y\), 65 bytes; the protocol asks for SPKI PEM/,
    );
    expect(error?.message).not.toContain(point.slice(2, 20));
  });
});

function pemWith(text: string, width: number, eol: string): string {
  const lines = text.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
  return ['-----BEGIN PUBLIC KEY-----', ...lines, '-----END PUBLIC KEY-----', ''].join(eol);
}
