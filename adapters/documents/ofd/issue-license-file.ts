/**
 * A license version as a sealed OFD file: face laid out from the type's template, the document
 * built, the seal's stamp placed where the template puts it, and the whole package signed with
 * an SES_Signature. Many licenses are sealed with one signer call (a signing server takes them
 * as one batch).
 */
import { hash } from 'node:crypto';
import type { License } from '../../../catalog/license.js';
import type { SealSigner } from '../../signers/ses/seal-signer.js';
import type { FaceTemplate } from '../face/face-template.js';
import { layoutFace } from '../face/layout.js';
import { buildOfd, type OfdDocInfo } from './ofd-package.js';
import { finishSignature, prepareSignature } from './ofd-signature.js';

export interface LicenseFileRequest {
  license: License;
  template: FaceTemplate;
}

export function docInfoFor(license: License, signedAt: Date): OfdDocInfo {
  return {
    // A stable DocID per license version: the first 128 bits of SM3 over its identifier.
    docId: hash('sm3', license.identifier, 'hex').slice(0, 32),
    title: license.type.name,
    author: license.issuer.name,
    createdAt: signedAt,
    custom: { identifier: license.identifier, licenseType: license.type.code },
  };
}

/** One signed OFD per request, in order, all with the same signing time. */
export async function issueLicenseFiles(
  requests: readonly LicenseFileRequest[],
  seal: SealSigner,
  signedAt: Date = new Date(),
): Promise<Buffer[]> {
  const prepared = requests.map(({ license, template }) => {
    const info = docInfoFor(license, signedAt);
    const doc = buildOfd(layoutFace(template, license), info);
    return prepareSignature(doc, info, template.seal, signedAt);
  });
  const signatures = await seal.sign(
    prepared.map((p) => ({ dataHash: p.dataHash, propertyInfo: p.propertyInfo })),
    signedAt,
  );
  return prepared.map((p, i) => finishSignature(p, signatures[i] as Uint8Array));
}
