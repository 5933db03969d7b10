/**
 * A license version as a sealed OFD file: face laid out from the type's template, the document
 * built, the seal's stamp placed where the template puts it, and the whole package signed with
 * an SES_Signature. Many licenses are sealed with one signer call (a signing server takes them
 * as one batch).
 */
import { hash } from 'node:crypto';
import type { License } from '../../../catalog/license.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { SealRequest, SealSigner } from '../../signers/ses/seal-signer.js';
import type { FaceTemplate } from '../face/face-template.js';
import { layoutFace } from '../face/layout.js';
import { buildOfd, type OfdDocInfo } from './ofd-package.js';
import {
  finishSignature,
  type PreparedSignature,
  prepareSignatures,
  stampBox,
  type ToSign,
} from './ofd-signature.js';
import { stampFitProblem } from './stamp-fit.js';

export interface LicenseFileRequest {
  license: License;
  template: FaceTemplate;
}

/** `timeZone`: whose calendar day is the creation date (`lifecycle.timeZone`); China Standard Time when left out. */
export function docInfoFor(license: License, signedAt: Date, timeZone?: string): OfdDocInfo {
  return {
    // A stable DocID per license version: the first 128 bits of SM3 over its identifier.
    docId: hash('sm3', license.identifier, 'hex').slice(0, 32),
    title: license.type.name,
    author: license.issuer.name,
    createdAt: signedAt,
    ...(timeZone === undefined ? {} : { timeZone }),
    custom: { identifier: license.identifier, licenseType: license.type.code },
  };
}

/** A license file issued, or refused because its face does not fit the template. */
export type LicenseFileOutcome =
  | { file: Buffer; overflows?: undefined }
  /** Text boxes (`texts[i] (field)`, never their values) whose text was cut even at `minSize`. */
  | { file?: undefined; overflows: string[] };

type Prepared = PreparedSignature;

/** Each request laid out and, where its face fits, its document built and ready to sign. */
function prepareAll(
  requests: readonly LicenseFileRequest[],
  seal: SealSigner,
  signedAt: Date,
  timeZone: string | undefined,
): { cut: (string[] | undefined)[]; ready: { at: number; prepared: Prepared }[] } {
  const { picture } = seal.seal.info;
  const cut: (string[] | undefined)[] = [];
  const ready: { at: number; prepared: Prepared }[] = [];
  // Before anything is laid out or signed: a stamp past the page would be sealed cut off. The
  // commands check every template they may use when they open the seal; this holds for any caller.
  const fitted = new Set<FaceTemplate>();
  for (const { license, template } of requests) {
    if (fitted.has(template)) continue;
    const size = { name: seal.name, widthMm: picture.widthMm, heightMm: picture.heightMm };
    const problem = stampFitProblem(
      size,
      template,
      `license type ${license.type.code} (${license.type.name})`,
    );
    if (problem !== null) throw new LicbridgeError(ErrorCodes.CATALOG_INVALID, `license file: ${problem}`);
    fitted.add(template);
  }
  const fitting: number[] = [];
  const toSign: ToSign[] = [];
  requests.forEach(({ license, template }, at) => {
    const layout = layoutFace(template, license);
    if (layout.overflows.length > 0) {
      cut[at] = layout.overflows;
      return;
    }
    const info = docInfoFor(license, signedAt, timeZone);
    fitting.push(at);
    toSign.push({ doc: buildOfd(layout, info), info, stamp: stampBox(template.seal, picture) });
  });
  // All at once: their SM3s are worked out side by side (sm3-lanes.ts).
  prepareSignatures(toSign, signedAt).forEach((prepared, i) => {
    ready.push({ at: fitting[i] as number, prepared });
  });
  return { cut, ready };
}

/** The prepared documents sealed in one signer call. */
async function sealAll(
  ready: readonly { prepared: Prepared }[],
  seal: SealSigner,
  signedAt: Date,
): Promise<Buffer[]> {
  // Arrays pushed to, not made by `map` (ofd-signature.ts says why).
  const requests: SealRequest[] = [];
  for (const { prepared: p } of ready) requests.push({ dataHash: p.dataHash, propertyInfo: p.propertyInfo });
  const signatures = await seal.sign(requests, signedAt);
  const files: Buffer[] = [];
  for (let i = 0; i < ready.length; i++)
    files.push(finishSignature((ready[i] as { prepared: Prepared }).prepared, signatures[i] as Uint8Array));
  return files;
}

/**
 * One outcome per request, in order, all files with the same signing time (their creation date
 * its day in `timeZone`, `lifecycle.timeZone`). A face whose text
 * does not fit its boxes even shrunk to `minSize` is never sealed: a sealed file is the legally
 * valid license, and one showing a cut business scope or address states less than the license
 * does. Those requests are left out of the signer call; with none left, the signer is not called.
 */
export async function issueFittingLicenseFiles(
  requests: readonly LicenseFileRequest[],
  seal: SealSigner,
  signedAt: Date = new Date(),
  timeZone?: string,
): Promise<LicenseFileOutcome[]> {
  const { cut, ready } = prepareAll(requests, seal, signedAt, timeZone);
  const files = ready.length > 0 ? await sealAll(ready, seal, signedAt) : [];
  const outcomes: LicenseFileOutcome[] = requests.map((_, at) => ({ overflows: cut[at] ?? [] }));
  ready.forEach(({ at }, i) => {
    outcomes[at] = { file: files[i] as Buffer };
  });
  return outcomes;
}

/**
 * One signed OFD per request, in order, all with the same signing time. A face that does not fit
 * its template (see `issueFittingLicenseFiles`) refuses the whole batch before anything is signed.
 */
export async function issueLicenseFiles(
  requests: readonly LicenseFileRequest[],
  seal: SealSigner,
  signedAt: Date = new Date(),
  timeZone?: string,
): Promise<Buffer[]> {
  const { cut, ready } = prepareAll(requests, seal, signedAt, timeZone);
  const at = cut.findIndex((boxes) => boxes !== undefined);
  if (at >= 0) {
    throw new LicbridgeError(
      ErrorCodes.LICENSE_INVALID,
      `license file: request ${at}: face text does not fit its box even at minSize: ${(cut[at] ?? []).join(', ')}`,
    );
  }
  return ready.length > 0 ? sealAll(ready, seal, signedAt) : [];
}
