// A seal signer closed and opened again (a worker that closes its parts between runs, a run
// reopening after a failure) signs as after its first open(): its signer opened again, the seal
// read and checked again. Before, open() after close() returned the seal it still held and left
// the signer closed, so every signature failed naming the inner signer, and a seal file replaced
// or broken in between was never read.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSm2Signer, verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { decodeSesSignature } from '../../adapters/signers/ses/signature-format.js';
import { type SealKit, sealKit } from '../documents/seal-kit.js';
import { makeTempDir } from '../signers/helpers.js';

const request = {
  dataHash: createHash('sm3').update('Signature.xml').digest(),
  propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml',
};

describe('a seal signer opened again after close()', () => {
  let cleanup: () => void;
  let kit: SealKit;
  let dir: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  it('refuses to sign while closed, naming the seal, and signs again once reopened', async () => {
    const seal = kit.sealSigner();
    const holderKey = (kit.trust[1] as (typeof kit.trust)[number]).publicKeyPem;
    try {
      await seal.open();
      expect(await seal.sign([request])).toHaveLength(1);
      await seal.close();
      await expect(seal.sign([request])).rejects.toThrow(
        /^seal district-seal: not open \(.*after close\(\)\)/,
      );
      await seal.open();
      const [der] = await seal.sign([request]);
      const decoded = decodeSesSignature(der as Uint8Array);
      expect(verifySm2Signature(holderKey, decoded.signedBytes, decoded.signature)).toBe(true);
      expect(Buffer.from(decoded.dataHash).equals(request.dataHash)).toBe(true);
    } finally {
      await seal.close();
    }
  });

  it('closes its signer again when the seal refuses it at open()', async () => {
    // The seal lists the holder's certificate, not the maker's. The signer runs on a worker thread,
    // as a local signer does by default: left open, it kept a refused command's process alive.
    const sealFile = join(dir, 'refusing.esl');
    writeFileSync(sealFile, readFileSync(kit.sealFile));
    const other = new LocalSm2Signer('other', { ...kit.maker.config, workers: 1 });
    const seal = new SealSigner(
      'district-seal',
      { file: sealFile, signer: 'other', status: 'active' },
      other,
    );
    try {
      await expect(seal.open()).rejects.toThrow(
        /^seal district-seal: the certificate of signer other .* is not one the seal lists/,
      );
      await expect(other.sign([Buffer.from('probe')])).rejects.toThrow(
        /signer other: sign called before open\(\)/,
      );
    } finally {
      await other.close();
    }
  });

  it('reads the seal file again at the second open()', async () => {
    const seal = kit.sealSigner();
    try {
      await seal.open();
      await seal.close();
      // The seal file is overwritten while the signer is closed (a half-copied replacement).
      writeFileSync(kit.sealFile, Buffer.from('not a seal'));
      await expect(seal.open()).rejects.toThrow(/^seal district-seal: .* is not a GB\/T 38540 seal/);
      await expect(seal.sign([request])).rejects.toThrow(/^seal district-seal: not open/);
    } finally {
      await seal.close();
    }
  });
});
