/**
 * A signing server with no certificate for a key may answer `"certificate": ""` (or `null`) rather
 * than leave the field out; the protocol's `certificate` is optional. `""` failed `open()` as a
 * certificate that does not read, so the signer never opened; it is read as no certificate, as
 * `null` and an absent field are. A certificate that is there and does not read still fails.
 */
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import {
  remoteSigner,
  servingKey,
  signaturesAnswer,
  signedWith,
  signingStandIn,
} from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
const key = loadSm2PrivateKey('served', pair.privateKeyPem).privateKey;
const message = Buffer.from('{"license":1}');

/** Opens a signer whose server answers its key with `certificate` beside it, and signs `message`. */
async function openAndSign(certificate: unknown) {
  const server = await signingStandIn({
    key: servingKey(pair.publicKeyPem, { certificate }),
    sign: (digests, res) => res.end(signaturesAnswer(signedWith(key, digests))),
  });
  const signer = remoteSigner('city-seal', server.origin);
  try {
    await signer.open();
    const [record] = await signer.sign([message]);
    return { record, info: signer.keyInfo() };
  } finally {
    await signer.close();
    await server.close();
  }
}

describe("the key answer's certificate", () => {
  for (const certificate of ['', '  \n', null]) {
    it(`${JSON.stringify(certificate)} is read as no certificate: the signer opens and signs`, async () => {
      const { record, info } = await openAndSign(certificate);
      expect(info.certificatePem).toBeNull();
      expect(record?.certificateSerial).toBeNull();
      expect(verifySm2Signature(pair.publicKeyPem, message, record?.signature as Uint8Array)).toBe(true);
    });
  }

  it('one that is there and does not read still fails open()', async () => {
    await expect(
      openAndSign('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    ).rejects.toThrow(/signer city-seal: .*the server's certificate for key seal-1/);
  });
});
