// A seal signer encodes the fields every signature of its seal shares (the seal, the signer's
// certificate) once: each SES_Signature it makes must be byte for byte the one the plain DER
// writer builds field by field, and no two signatures may share the bytes that differ.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { certificateDer } from '../../adapters/signers/ses/check-seal.js';
import {
  bitString,
  generalizedTime,
  ia5String,
  integer,
  octetString,
  oid,
  sequence,
} from '../../adapters/signers/ses/der-writer.js';
import { SES_VERSION } from '../../adapters/signers/ses/seal-format.js';
import type { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { decodeSesSignature } from '../../adapters/signers/ses/signature-format.js';
import { SM2_SM3_OID } from '../../adapters/signers/signer.js';
import { makeTempDir } from '../signers/helpers.js';
import { type SealKit, sealKit } from './seal-kit.js';

describe('SES signatures from the fields a seal shares', () => {
  let cleanup: () => void;
  let kit: SealKit;
  let seal: SealSigner;
  let certificate: Uint8Array;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    seal = kit.sealSigner();
    await seal.open();
    certificate = certificateDer(readFileSync(kit.holder.certPath, 'utf8'));
  });
  afterAll(async () => {
    await seal.close();
    cleanup();
  });

  it('equal, byte for byte, the signature built field by field; each its own bytes', async () => {
    const at = new Date();
    const requests = ['a', 'b', 'c'].map((x, i) => ({
      dataHash: createHash('sm3').update(x).digest(),
      // Lengths either side of 127 and 255: the SEQUENCE's length octets change with them.
      propertyInfo: `/Doc_0/Signs/Sign_${i}/${'S'.repeat([5, 200, 300][i] as number)}.xml`,
    }));
    const signatures = await seal.sign(requests, at);
    const again = await seal.sign(requests, at);
    signatures.forEach((der, i) => {
      const request = requests[i] as (typeof requests)[number];
      const decoded = decodeSesSignature(der);
      const tbs = sequence(
        integer(SES_VERSION),
        seal.seal.der,
        generalizedTime(at),
        bitString(request.dataHash),
        ia5String(request.propertyInfo),
      );
      expect(Buffer.from(decoded.signedBytes).equals(Buffer.from(tbs))).toBe(true);
      const whole = sequence(tbs, octetString(certificate), oid(SM2_SM3_OID), bitString(decoded.signature));
      expect(Buffer.from(der).equals(Buffer.from(whole))).toBe(true);
      // A fresh signature of the same request: its own buffer, its own SM2 value (random k).
      expect(again[i]?.buffer).not.toBe(der.buffer);
      expect(
        Buffer.from(decodeSesSignature(again[i] as Uint8Array).signature).equals(
          Buffer.from(decoded.signature),
        ),
      ).toBe(false);
    });
    // Writing into one signature changes no other, nor what the signer shares between them.
    const before = signatures.map((s) => Buffer.from(s));
    (signatures[0] as Uint8Array).fill(0);
    expect(Buffer.from(signatures[1] as Uint8Array).equals(before[1] as Buffer)).toBe(true);
    const [later] = await seal.sign([requests[0] as (typeof requests)[number]], at);
    expect(
      Buffer.from(decodeSesSignature(later as Uint8Array).seal.der).equals(Buffer.from(seal.seal.der)),
    ).toBe(true);
  });

  it('each signature verifies over its own TBS_Sign, whatever its length, in later calls too', async () => {
    // The signer's digest starts from SM3 over Z and the head of TBS_Sign, kept per length: each
    // length its own head, the same length again starting from the head kept.
    const publicKeyPem = (kit.trust[1] as (typeof kit.trust)[number]).publicKeyPem;
    for (const round of [0, 1]) {
      const requests = [5, 200, 5, 300, 200].map((n, i) => ({
        dataHash: createHash('sm3').update(`${round}.${i}`).digest(),
        propertyInfo: `/Doc_0/Signs/Sign_0/${'S'.repeat(n)}.xml`,
      }));
      for (const der of await seal.sign(requests, new Date())) {
        const decoded = decodeSesSignature(der);
        expect(verifySm2Signature(publicKeyPem, decoded.signedBytes, decoded.signature)).toBe(true);
      }
    }
  });
});
