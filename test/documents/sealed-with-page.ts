/**
 * A sealed license file whose page had `replace` applied to its bytes before it was signed: every
 * hash and signature holds, so what a verifier says of it is about the page alone.
 */
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd, PAGE_PATH } from '../../adapters/documents/ofd/ofd-package.js';
import {
  finishSignature,
  type PreparedSignature,
  prepareSignature,
} from '../../adapters/documents/ofd/ofd-signature.js';
import type { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import type { SealKit } from './seal-kit.js';

export async function sealedWithPage(
  kit: SealKit,
  licenseNumber: number,
  replace: (page: Buffer) => Buffer,
): Promise<Buffer> {
  const license = foodLicense(licenseNumber);
  const signedAt = new Date();
  const info = docInfoFor(license, signedAt);
  const doc = buildOfd(layoutFace(foodTemplate, license), info);
  doc.parts.set(PAGE_PATH, replace(Buffer.from(doc.parts.get(PAGE_PATH) as Uint8Array)));
  return sealPrepared(kit, signedAt, () => prepareSignature(doc, info, foodTemplate.seal, signedAt));
}

/**
 * The file `prepare` makes ready to sign, sealed at `signedAt` with the kit's seal (opened before
 * `prepare`, so it may read the seal, and closed after).
 */
export async function sealPrepared(
  kit: SealKit,
  signedAt: Date,
  prepare: (seal: SealSigner) => PreparedSignature,
): Promise<Buffer> {
  const seal = kit.sealSigner();
  await seal.open();
  try {
    const prepared = prepare(seal);
    const [ses] = await seal.sign(
      [{ dataHash: prepared.dataHash, propertyInfo: prepared.propertyInfo }],
      signedAt,
    );
    return finishSignature(prepared, ses as Uint8Array);
  } finally {
    await seal.close();
  }
}
