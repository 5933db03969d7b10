// The SES_Signature's optional timeStamp (GB/T 38540: an RFC 3161 token over the signature
// value) is not verified here. A file that carries one must not read as if it had none: each
// signature says `timeStamp: 'unverified'` with a note that the signing time is the signer's own
// statement; a file without one says `none`.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import {
  finishSignature,
  prepareSignature,
  SM2_SM3_OID,
} from '../../adapters/documents/ofd/ofd-signature.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { certificateDer } from '../../adapters/signers/ses/check-seal.js';
import { bitString, explicit, sequence } from '../../adapters/signers/ses/der-writer.js';
import { encodeTbsSign, sesSignatureMiddle } from '../../adapters/signers/ses/signature-format.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

describe('verify: the SES timeStamp', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  /** A sealed file whose SES_Signature carries `token` as its timeStamp (none when null). */
  async function sealed(token: Uint8Array | null): Promise<Buffer> {
    const signedAt = new Date();
    const license = foodLicense(9);
    const info = docInfoFor(license, signedAt);
    const prepared = prepareSignature(
      buildOfd(layoutFace(foodTemplate, license), info),
      info,
      foodTemplate.seal,
      signedAt,
    );
    const tbs = encodeTbsSign({
      sealDer: readFileSync(kit.sealFile),
      signedAt,
      dataHash: prepared.dataHash,
      propertyInfo: prepared.propertyInfo,
    });
    const holder = new LocalSm2Signer('district', kit.holder.config);
    await holder.open();
    const [record] = await holder.sign([tbs]);
    await holder.close();
    const signature = (record as { signature: Uint8Array }).signature;
    const middle = sesSignatureMiddle(certificateDer(readFileSync(kit.holder.certPath, 'utf8')), SM2_SM3_OID);
    const ses =
      token === null
        ? sequence(tbs, middle, bitString(signature))
        : sequence(tbs, middle, bitString(signature), explicit(0, bitString(token)));
    return finishSignature(prepared, ses);
  }

  it('says a timestamp is present and not verified, and the signature is still checked', async () => {
    // A token's shape (an RFC 3161 TimeStampToken is a CMS ContentInfo); its contents are not read.
    const token = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]);
    const result = verifyOfd(await sealed(token), kit.trust);
    const sig = result.signatures[0];
    expect(sig?.problems).toEqual([]);
    expect(sig?.timeStamp).toBe('unverified');
    expect(sig?.notes).toEqual([
      expect.stringMatching(
        /^carries a timestamp \(SES_Signature timeStamp\), present, not verified: the signing time \S+ is the signer's own statement$/,
      ),
    ]);
    expect(JSON.parse(JSON.stringify(result)).signatures[0].timeStamp).toBe('unverified');
    expect(result.ok).toBe(true);
  });

  it('says none for a signature without one', async () => {
    const result = verifyOfd(await sealed(null), kit.trust);
    expect(result.signatures[0]?.timeStamp).toBe('none');
    expect(result.signatures[0]?.notes).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
