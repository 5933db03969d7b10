/**
 * Signing servers that turn a device's r and s (GM/T 0018's ECCSignature: two 32-byte values) into
 * DER by hand often write an INTEGER not in its fewest octets: all 32 bytes of a value under 2²⁴⁸
 * (a leading 0x00 that DER forbids), a 0x00 before every value, or none before a set top bit (a
 * negative INTEGER). The signature itself is sound. Such an answer failed its batch, not
 * retryable, as `signature 7 is not a DER SM2 signature (71 bytes)`: with the 32-byte padding one
 * signature in 128, about one batch of 50 in three, so a run stopped at random for a person. The
 * values are read, verified over the digest sent with the server's key (with `verify: sample`
 * too), and the signature recorded in DER's one form, which OpenSSL and platforms verify.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeSm2Signature, encodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { type Sm2SignatureValue, sm2SignDigest } from '../../adapters/signers/local-sm2/sm2.js';
import { LicbridgeError } from '../../core/errors.js';
import { makeTempDir, openssl } from './helpers.js';
import { remoteSigner, servingKey, signingStandIn } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
const key = loadSm2PrivateKey('served', pair.privateKeyPem).privateKey;
const bytes32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
const int = (body: Buffer) => Buffer.concat([Buffer.of(0x02, body.length), body]);
const der = (r: Buffer, s: Buffer) => {
  const body = Buffer.concat([int(r), int(s)]);
  return Buffer.concat([Buffer.of(0x30, body.length), body]);
};

/** A signature of `digest` whose r satisfies `want` (signed again until it does). */
function signedSo(digest: Buffer, want: (r: bigint) => boolean): Sm2SignatureValue {
  for (;;) {
    const sig = sm2SignDigest(key, digest);
    if (want(sig.r)) return sig;
  }
}

const TOP = 1n << 255n;
const encoders: [string, (digest: Buffer) => Buffer][] = [
  [
    'r and s in 32 bytes (a 0x00 before a set top bit), r under 2²⁴⁷ with a leading 0x00 DER forbids',
    (d) => {
      const { r, s } = signedSo(d, (v) => v < 1n << 247n);
      const body = (v: bigint) => (v >= TOP ? Buffer.concat([Buffer.of(0), bytes32(v)]) : bytes32(v));
      return der(body(r), body(s));
    },
  ],
  [
    'a 0x00 before every value, its top bit set or not',
    (d) => {
      const { r, s } = signedSo(d, (v) => v < TOP);
      return der(Buffer.concat([Buffer.of(0), bytes32(r)]), Buffer.concat([Buffer.of(0), bytes32(s)]));
    },
  ],
  [
    'no 0x00 before a set top bit (a negative INTEGER)',
    (d) => {
      const { r, s } = signedSo(d, (v) => v >= TOP);
      return der(bytes32(r), bytes32(s));
    },
  ],
];

// The stand-in signs each digest again until its r is under 2²⁴⁷ (one try in ~512): a second or
// more of signing a request on a busy machine, past the fixture's 5 s request timeout.
const TIMEOUT_MS = 60_000;

const messages = [Buffer.from('{"license":1}'), Buffer.from('{"license":2}'), Buffer.from('{"license":3}')];

describe('a signing server writing r and s in non-minimal INTEGERs', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'pub.pem'), pair.publicKeyPem);
  });
  afterAll(() => cleanup());

  for (const [what, encode] of encoders) {
    for (const verify of ['all', 'sample'] as const) {
      it(`${what} (verify: ${verify}): signed, recorded as DER that OpenSSL verifies`, async () => {
        const server = await signingStandIn({
          key: servingKey(pair.publicKeyPem),
          sign: (digests, res) =>
            res.end(JSON.stringify({ signatures: digests.map((d) => encode(d).toString('base64')) })),
        });
        const signer = remoteSigner('city-seal', server.origin, { verify, timeoutMs: TIMEOUT_MS });
        try {
          await signer.open();
          const records = await signer.sign(messages);
          expect(records).toHaveLength(messages.length);
          for (const [i, record] of records.entries()) {
            const sig = Buffer.from(record.signature);
            // DER's one form: decoding strictly and encoding again gives the same bytes.
            expect(Buffer.from(encodeSm2Signature(decodeSm2Signature(sig)))).toEqual(sig);
            writeFileSync(join(dir, `msg-${i}`), messages[i] as Buffer);
            writeFileSync(join(dir, `sig-${i}`), sig);
            const checked = openssl(
              [
                'pkeyutl',
                '-verify',
                '-rawin',
                '-digest',
                'sm3',
                '-pubin',
                '-inkey',
                'pub.pem',
                '-sigfile',
                `sig-${i}`,
                '-in',
                `msg-${i}`,
                '-pkeyopt',
                'distid:1234567812345678',
              ],
              dir,
            );
            expect(checked.output).toContain('Signature Verified Successfully');
          }
        } finally {
          await signer.close();
          await server.close();
        }
      });
    }
  }

  it('a padded signature is verified outside the sample too, and refused when it does not verify', async () => {
    const six = Array.from({ length: 6 }, (_, i) => Buffer.from(`{"license":${i}}`));
    const server = await signingStandIn({
      key: servingKey(pair.publicKeyPem),
      sign: (digests, res) =>
        res.end(
          JSON.stringify({
            signatures: digests.map((d, i) => {
              if (i !== 3) return Buffer.from(encodeSm2Signature(sm2SignDigest(key, d))).toString('base64');
              // Position 3, padded, answered with the signature of another digest.
              const { r, s } = signedSo(digests[0] as Buffer, (v) => v < 1n << 247n);
              return der(bytes32(r), bytes32(s)).toString('base64');
            }),
          }),
        ),
    });
    // The sample is the first, the last and the one at 1: position 3 is not in it.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    const signer = remoteSigner('city-seal', server.origin, { verify: 'sample', timeoutMs: TIMEOUT_MS });
    try {
      await signer.open();
      const err = await signer.sign(six).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LicbridgeError);
      expect((err as LicbridgeError).message).toMatch(
        /signature 3 of the batch does not verify over the digest sent with the server's key: it verifies over digest 0 of the batch/,
      );
    } finally {
      random.mockRestore();
      await signer.close();
      await server.close();
    }
  });
});
