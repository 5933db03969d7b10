/**
 * A signing server answering `null` (or `""`) in place of one signature of a batch has not signed
 * that digest: a glitch of its device for one item, as an answer with too few signatures is one,
 * which fails the batch retryable so the sign job asks again. The `null` failed the batch for good,
 * as a signature in another form than DER does (a server's format, which asking again does not
 * change), and the job's versions went to the dead letters. A signature that is there but not DER
 * still fails for good.
 */
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { LicbridgeError } from '../../core/errors.js';
import { remoteSigner, servingKey, signedWith, signingStandIn } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
const key = loadSm2PrivateKey('served', pair.privateKeyPem).privateKey;
const messages = [Buffer.from('{"license":1}'), Buffer.from('{"license":2}'), Buffer.from('{"license":3}')];

/** Signs `messages`, the first sign request answered with signature 1 replaced by `gap`: the records or the error, and the requests made. */
async function signAround(gap: unknown) {
  let n = 0;
  const server = await signingStandIn({
    key: servingKey(pair.publicKeyPem),
    sign: (digests, res) => {
      const signatures: unknown[] = signedWith(key, digests).map((s) => Buffer.from(s).toString('base64'));
      if (n++ === 0) signatures[1] = gap;
      res.end(JSON.stringify({ signatures }));
    },
  });
  const signer = remoteSigner('city-seal', server.origin);
  try {
    await signer.open();
    return { out: await signer.sign(messages).catch((e: unknown) => e), requests: n };
  } finally {
    await signer.close();
    await server.close();
  }
}

describe('a sign answer missing one signature of its batch', () => {
  for (const gap of [null, '']) {
    it(`${JSON.stringify(gap)} in its place fails the batch retryable, naming the position`, async () => {
      const { out, requests } = await signAround(gap);
      expect(requests).toBe(1);
      expect(out).toBeInstanceOf(LicbridgeError);
      const err = out as LicbridgeError;
      expect(err.retryable).toBe(true);
      expect(err.message).toMatch(
        /^signer city-seal: seal seal-1 \(key [0-9a-f]{16}\): POST \/v1\/keys\/seal-1\/sign: signature 1 is missing \(.+\): the server answered no signature for this digest; asked again later$/,
      );
    });
  }

  it('a signature that is there but not DER still fails for good', async () => {
    const { out } = await signAround(Buffer.from('not a signature').toString('base64'));
    expect((out as LicbridgeError).retryable).toBe(false);
    expect((out as LicbridgeError).message).toMatch(/signature 1 is not a DER SM2 signature \(15 bytes\)$/);
  });
});
