/**
 * The remote signer verifies every signature of every batch over the digests it sent, with the
 * server's key, before handing any back: a signing server answering out of order, signing with
 * another key, or in ECDSA mode produced well-formed signatures that
 * the ledger recorded as signed and delivery sent on, to fail only in a later `licbridge verify`;
 * so did a single wrong signature past the three of a batch that were checked.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesToBigInt, modN, SM2_CURVE, Sm2Point } from '../../adapters/signers/local-sm2/curve.js';
import { encodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { sm2SignDigest } from '../../adapters/signers/local-sm2/sm2.js';
import { sampleIndexes } from '../../adapters/signers/remote/remote-signer.js';
import type { LocalServer } from '../support/listen-local.js';
import { remoteSigner, servingKey, signaturesAnswer, signingStandIn } from './remote-signer-fixture.js';

const served = generateSm2KeyPair();
const servedKey = loadSm2PrivateKey('served', served.privateKeyPem).privateKey;
const otherKey = loadSm2PrivateKey('other', generateSm2KeyPair().privateKeyPem).privateKey;

type Answer = (digests: Buffer[], messages: readonly Buffer[]) => Uint8Array[];
const der = (sig: Parameters<typeof encodeSm2Signature>[0]) => encodeSm2Signature(sig);

let server: LocalServer | undefined;
afterEach(() => server?.close());

/** x⁻¹ mod m by Fermat (m prime). */
function invert(x: bigint, m: bigint): bigint {
  let result = 1n;
  let base = ((x % m) + m) % m;
  for (let e = m - 2n; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % m;
    base = (base * base) % m;
  }
  return result;
}

async function signWith(answer: Answer, messages: readonly Buffer[]) {
  server = await signingStandIn({
    key: servingKey(served.publicKeyPem),
    sign: (digests, res) => res.end(signaturesAnswer(answer(digests, messages))),
  });
  const signer = remoteSigner('seal-server', server.origin, { batchSize: 50 });
  await signer.open();
  try {
    return await signer.sign(messages);
  } finally {
    await signer.close();
  }
}

const messages = Array.from({ length: 60 }, (_, i) => Buffer.from(`{"license":${i}}`));
const refusal = /does not verify over the digest sent with the server's key/;

describe('what a signing server answers', () => {
  it('signatures over the digests sent, in order, are handed back and verify', async () => {
    const records = await signWith(
      (digests) => digests.map((e) => der(sm2SignDigest(servedKey, e))),
      messages,
    );
    expect(records).toHaveLength(messages.length);
    records.forEach((r, i) => {
      expect(verifySm2Signature(served.publicKeyPem, messages[i] as Buffer, r.signature)).toBe(true);
    });
  });

  it('a batch answered out of order is refused', async () => {
    await expect(
      signWith((digests) => digests.map((e) => der(sm2SignDigest(servedKey, e))).reverse(), messages),
    ).rejects.toThrow(refusal);
  });

  it('signatures made with another key are refused', async () => {
    await expect(
      signWith((digests) => digests.map((e) => der(sm2SignDigest(otherKey, e))), messages),
    ).rejects.toThrow(refusal);
  });

  it('signatures made in ECDSA mode over the digests sent are refused', async () => {
    const { n } = SM2_CURVE;
    const { d } = servedKey;
    const ecdsa = (e: Buffer) => {
      for (;;) {
        const k = (bytesToBigInt(randomBytes(32)) % (n - 1n)) + 1n;
        const r = modN(Sm2Point.BASE.multiply(k).toAffine().x);
        const s = modN(invert(k, n) * (bytesToBigInt(e) + r * d));
        if (r !== 0n && s !== 0n) return der({ r, s });
      }
    };
    await expect(signWith((digests) => digests.map(ecdsa), messages)).rejects.toThrow(refusal);
  });

  it('checks the first, the last and one signature between of every batch', () => {
    expect(sampleIndexes(1)).toEqual([0]);
    expect(sampleIndexes(3)).toEqual([0, 1, 2]);
    for (let k = 0; k < 100; k++) {
      const [first, between, last] = sampleIndexes(50);
      expect(first).toBe(0);
      expect(last).toBe(49);
      expect(between).toBeGreaterThan(0);
      expect(between).toBeLessThan(49);
    }
  });
});

describe('one wrong signature in a batch', () => {
  /** The server's signatures, the one at `at` made over another digest. */
  const oneWrong =
    (at: number): Answer =>
    (digests) =>
      digests.map((e, i) => der(sm2SignDigest(servedKey, i === at ? randomBytes(32) : e)));

  it('anywhere in the batch, refuses it: no signature is handed back to be stored', async () => {
    for (const at of [4, 27, 48]) {
      await expect(signWith(oneWrong(at), messages.slice(0, 50))).rejects.toThrow(
        new RegExp(`signature ${at} of the batch does not verify`),
      );
    }
  });

  it('in a later batch of a call, is found there too', async () => {
    // 100 messages, two batches of 50: the second one's 31st signature is wrong.
    let batch = 0;
    const answer: Answer = (digests) => {
      batch += 1;
      return oneWrong(batch === 2 ? 30 : -1)(digests, []);
    };
    const many = Array.from({ length: 100 }, (_, i) => Buffer.from(`{"license":${i}}`));
    await expect(signWith(answer, many)).rejects.toThrow(/signature 30 of the batch does not verify/);
  });
});
