/**
 * Two signatures of a batch answered swapped, in its middle: each is a valid signature of another
 * license of the batch. `verify: all` (the default) refuses the batch, naming the digest each does
 * verify over. `verify: sample` checks the first, the last and one between, and hands the batch
 * back unless the one between is one of the two: each record then pairs a digest with another
 * license's signature, which `licbridge verify` finds (the signature does not verify over the
 * recorded digest). docs/signatures.md said sample verification catches a server answering out of
 * order; it catches a batch reversed or shifted, not two signatures swapped within it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import {
  generateSm2KeyPair,
  loadSm2PrivateKey,
  parseSm2PublicKeyPem,
} from '../../adapters/signers/local-sm2/keys.js';
import { sm2VerifyDigest } from '../../adapters/signers/local-sm2/sm2.js';
import { LicbridgeError } from '../../core/errors.js';
import type { LocalServer } from '../support/listen-local.js';
import {
  remoteSigner,
  servingKey,
  signaturesAnswer,
  signedWith,
  signingStandIn,
} from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
const key = loadSm2PrivateKey('served', pair.privateKeyPem).privateKey;
const point = parseSm2PublicKeyPem(pair.publicKeyPem);
const messages = Array.from({ length: 20 }, (_, i) => Buffer.from(`{"license":${i}}`));

let server: LocalServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

/** Signs `messages` in one batch, signatures 7 and 12 answered swapped. */
async function signSwapped(verify: 'all' | 'sample') {
  server = await signingStandIn({
    key: servingKey(pair.publicKeyPem),
    sign: (digests, res) => {
      const sigs = signedWith(key, digests);
      [sigs[7], sigs[12]] = [sigs[12] as Uint8Array, sigs[7] as Uint8Array];
      res.end(signaturesAnswer(sigs));
    },
  });
  const signer = remoteSigner('city-seal', server.origin, { batchSize: 50, verify });
  await signer.open();
  try {
    return await signer.sign(messages).catch((e: unknown) => e);
  } finally {
    await signer.close();
  }
}

describe('two signatures swapped in the middle of a batch', () => {
  it('verify: all refuses the batch, naming the digest the signature verifies over', async () => {
    const out = await signSwapped('all');
    expect(out).toBeInstanceOf(LicbridgeError);
    expect((out as LicbridgeError).message).toMatch(
      /signature 7 of the batch does not verify over the digest sent with the server's key: it verifies over digest 12 of the batch \(the server answered out of order\)$/,
    );
  });

  it('verify: sample, its one between elsewhere, hands it back: the records fail verification over their digests', async () => {
    // The one between is 1 + floor(random × 18): 3, neither of the two.
    vi.spyOn(Math, 'random').mockReturnValue(2 / 18);
    const out = await signSwapped('sample');
    expect(Array.isArray(out)).toBe(true);
    const records = out as { digest: string; signature: Uint8Array }[];
    const verifies = records.map((r) =>
      sm2VerifyDigest(point, Buffer.from(r.digest, 'hex'), decodeSm2Signature(r.signature)),
    );
    expect(verifies.flatMap((ok, i) => (ok ? [] : [i]))).toEqual([7, 12]);
  });
});
