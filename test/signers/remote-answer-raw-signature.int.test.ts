/**
 * The protocol asks for each signature as base64 of DER `SEQUENCE { r INTEGER, s INTEGER }`. A
 * signing device's own interface (GM/T 0018's ECCSignature) gives r and s as two 32-byte values,
 * and a server passing that on answers base64 of the raw 64 bytes r ‖ s; another answers the DER
 * in hex. Either is refused, as before, and none is recorded; the error said only `is not a DER SM2
 * signature`, leaving the operator to find out what the server sent. It now says what it was.
 */
import { describe, expect, it } from 'vitest';
import { encodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { sm2SignDigest } from '../../adapters/signers/local-sm2/sm2.js';
import { LicbridgeError } from '../../core/errors.js';
import { remoteSigner, servingKey, signingStandIn } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
const key = loadSm2PrivateKey('served', pair.privateKeyPem).privateKey;
const bytes32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');

/** The error signing two messages fails with, each digest answered `answer(digest)`. */
async function refusal(answer: (digest: Buffer) => string): Promise<LicbridgeError> {
  const server = await signingStandIn({
    key: servingKey(pair.publicKeyPem),
    sign: (digests, res) => res.end(JSON.stringify({ signatures: digests.map(answer) })),
  });
  const signer = remoteSigner('city-seal', server.origin);
  try {
    await signer.open();
    const err = await signer
      .sign([Buffer.from('{"license":1}'), Buffer.from('{"license":2}')])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LicbridgeError);
    return err as LicbridgeError;
  } finally {
    await signer.close();
    await server.close();
  }
}

describe('a signature answered in another form than base64 DER', () => {
  it('raw r ‖ s (64 bytes) is refused, saying so', async () => {
    const err = await refusal((d) => {
      const { r, s } = sm2SignDigest(key, d);
      return Buffer.concat([bytes32(r), bytes32(s)]).toString('base64');
    });
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(
      /: signature 0 is not a DER SM2 signature: it is r and s as two 32-byte values \(as GM\/T 0018's ECCSignature holds them\), 64 bytes; the protocol asks for base64 of DER SEQUENCE \{ r, s \}$/,
    );
  });

  it('DER in hex is refused, saying so', async () => {
    const err = await refusal((d) => Buffer.from(encodeSm2Signature(sm2SignDigest(key, d))).toString('hex'));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(
      /: signature 0 is not a DER SM2 signature: it is DER in hex; the protocol asks for base64 of DER SEQUENCE \{ r, s \}$/,
    );
  });

  it('anything else says it is not DER, with its length', async () => {
    const err = await refusal(() => Buffer.from('not a signature at all').toString('base64'));
    expect(err.message).toMatch(/: signature 0 is not a DER SM2 signature \(22 bytes\)$/);
  });
});
