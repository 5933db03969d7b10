/**
 * A signing server that answers its key with the point compressed (02/03 ‖ x) and the key's
 * certificate beside it, which holds the point uncompressed as CAs issue it: one key in two SEC1
 * forms. The signer opens, records the key as the certificate holds it, and signs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyId } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { makeTempDir, openssl, selfSignedCertificate } from './helpers.js';
import { remoteSigner, signaturesAnswer, signedWith, signingStandIn } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
const key = loadSm2PrivateKey('served', pair.privateKeyPem).privateKey;
const message = Buffer.from('{"license":1}');

describe('a server answering its key compressed', () => {
  let dir: string;
  let cleanup: () => void;
  let compressedPem: string;
  let certificatePem: string;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), pair.privateKeyPem, { mode: 0o600 });
    selfSignedCertificate(dir, { key: 'key.pem', out: 'cert.pem' });
    const r = openssl(
      ['ec', '-in', 'key.pem', '-pubout', '-conv_form', 'compressed', '-out', 'pub-c.pem'],
      dir,
    );
    if (r.status !== 0) throw new Error(`openssl ec failed: ${r.output}`);
    compressedPem = readFileSync(join(dir, 'pub-c.pem'), 'utf8');
    certificatePem = readFileSync(join(dir, 'cert.pem'), 'utf8');
  });
  afterAll(() => cleanup());

  it("opens with the certificate it serves for the key, and its signatures verify with the certificate's key", async () => {
    const server = await signingStandIn({
      key: () => JSON.stringify({ publicKey: compressedPem, certificate: certificatePem }),
      sign: (digests, res) => res.end(signaturesAnswer(signedWith(key, digests))),
    });
    const signer = remoteSigner('city-seal', server.origin);
    try {
      await signer.open();
      const [record] = await signer.sign([message]);
      const info = signer.keyInfo();
      expect(info.certificateSerial).not.toBeNull();
      expect(record?.certificateSerial).toBe(info.certificateSerial);
      expect(info.publicKeyPem).toBe(pair.publicKeyPem);
      expect(info.keyId).toBe(keyId(pair.publicKeyPem));
      expect(verifySm2Signature(pair.publicKeyPem, message, record?.signature as Uint8Array)).toBe(true);
    } finally {
      await signer.close();
      await server.close();
    }
  });
});
