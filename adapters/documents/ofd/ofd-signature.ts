/**
 * Sealing an OFD document as GB/T 33190 §18 and GM/T 0099 lay it out:
 *
 * ```
 * OFD.xml                           DocBody/Signatures → /Doc_0/Signs/Signatures.xml
 * Doc_0/Signs/Signatures.xml        one Signature entry (Type Seal) → its Signature.xml
 * Doc_0/Signs/Sign_0/Signature.xml  SignedInfo: provider, SM2 method, time, References
 *                                   (CheckMethod SM3; one FileRef + base64 SM3 per part),
 *                                   the StampAnnot (page, boundary); SignedValue → the .dat
 * Doc_0/Signs/Sign_0/SignedValue.dat  DER SES_Signature; its dataHash is SM3(Signature.xml)
 * ```
 *
 * Every other part of the package is referenced — OFD.xml and Signatures.xml too — so nothing a
 * reader shows can change without breaking the signature, and no later signature can be added.
 * The two steps (prepare, finish) let a batch of documents be signed in one signer call.
 */
import { generalizedTimeText } from '../../signers/ses/der-writer.js';
import type { SealInfo } from '../../signers/ses/seal-format.js';
import { sm3Many } from '../sm3-lanes.js';
import { packBody, writeZip, type ZipEntry } from '../zip/zip-writer.js';
import {
  documentZone,
  type OfdDocInfo,
  type OfdDocument,
  SIGNATURES_PATH,
  signedEntry,
} from './ofd-package.js';
import { sharedParts } from './shared-parts.js';
import { esc, num, OFD_NS, XML_DECL } from './xml.js';

export const SIGN_DIR = 'Doc_0/Signs/Sign_0';
export const SIGNATURE_XML = `${SIGN_DIR}/Signature.xml`;
export const SIGNED_VALUE = `${SIGN_DIR}/SignedValue.dat`;
/** SM3 (GM/T 0006 OID), the CheckMethod of every reference. */
export const SM3_OID = '1.2.156.10197.1.401';
export const SM2_SM3_OID = '1.2.156.10197.1.501';

export interface StampBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where the stamp goes: the seal's picture at the size the seal states (GB/T 38540 picture width
 * and height, mm: what `seal make --size` registers as its printed size), centred on the box the
 * template gives the seal. Readers draw the picture into the StampAnnot's box, so a template box
 * of another size showed a registered 40 mm seal 42 mm wide, or an oval one stretched round. A
 * seal stating no size (0) fills the template's box.
 */
export function stampBox(
  box: StampBox,
  picture: Pick<SealInfo['picture'], 'widthMm' | 'heightMm'>,
): StampBox {
  const { widthMm: width, heightMm: height } = picture;
  if (width <= 0 || height <= 0) return box;
  return { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
}

export interface PreparedSignature {
  parts: Map<string, Uint8Array>;
  /** SM3 of Signature.xml: the SES_Signature's dataHash. */
  dataHash: Uint8Array;
  /** Path of Signature.xml in the package: the SES_Signature's propertyInfo. */
  propertyInfo: string;
  signedAt: Date;
  /** Whose wall clock the ZIP entries' times are: the zone of the CreationDate (`lifecycle.timeZone`). */
  timeZone: string;
}

// The last signing time written, and its text: every file of a batch has the same one.
let lastTime = Number.NaN;
let lastText = '';

/**
 * GeneralizedTime text, as GM/T 0099 writes SignatureDateTime: the very text of the
 * SES_Signature's `timeInfo` for the same Date (der-writer.ts), seconds dropped the same way.
 */
function signatureTime(at: Date): string {
  const t = at.getTime();
  if (t !== lastTime) {
    lastText = generalizedTimeText(at);
    lastTime = t;
  }
  return lastText;
}

export function prepareSignature(
  doc: OfdDocument,
  info: OfdDocInfo,
  stamp: StampBox,
  signedAt: Date,
): PreparedSignature {
  return prepareSignatures([{ doc, info, stamp }], signedAt)[0] as PreparedSignature;
}

/** A document to seal: its parts, its document info, where its stamp goes. */
export interface ToSign {
  doc: OfdDocument;
  info: OfdDocInfo;
  stamp: StampBox;
}

/**
 * `prepareSignature` for a batch, in order: each document's parts no other file shares (its page,
 * its OFD.xml), then each Signature.xml, hashed side by side (sm3-lanes.ts) — the same bytes as
 * one document at a time.
 */
export function prepareSignatures(items: readonly ToSign[], signedAt: Date): PreparedSignature[] {
  const signatures = sharedParts.bytes(
    `${XML_DECL}<ofd:Signatures xmlns:ofd="${OFD_NS}"><ofd:MaxSignId>1</ofd:MaxSignId><ofd:Signature ID="1" Type="Seal" BaseLoc="/${SIGNATURE_XML}"/></ofd:Signatures>\n`,
  );
  // Every array here is pushed to, none made by `map`: an array `map` makes is packed until V8
  // compiles the function that calls it and holey after, so the compiled code that read it as one
  // kind met the other at once and was thrown away ("wrong map") — this function, writeZip and
  // the QR code's were compiled three and four times over in a run's first pages.
  const packages: Map<string, Uint8Array>[] = [];
  for (const { doc, info } of items) {
    const parts = new Map(doc.parts);
    parts.set('OFD.xml', signedEntry(doc, info, `/${SIGNATURES_PATH}`));
    parts.set(SIGNATURES_PATH, signatures);
    packages.push(parts);
  }
  const own: Uint8Array[] = [];
  for (const parts of packages)
    for (const data of parts.values()) if (sharedParts.knownSm3(data) === undefined) own.push(data);
  const digests = sm3Many(own);
  let next = 0;
  const time = signatureTime(signedAt);
  const signatureXmls: Buffer[] = [];
  for (let i = 0; i < items.length; i++) {
    const { doc, stamp } = items[i] as ToSign;
    let references = '';
    // forEach, not for…of: no [path, data] pair made for every part of every file.
    (packages[i] as Map<string, Uint8Array>).forEach((data, path) => {
      const sm3 = sharedParts.knownSm3(data) ?? (digests[next++] as Buffer).toString('base64');
      references += `<ofd:Reference FileRef="/${esc(path)}"><ofd:CheckValue>${sm3}</ofd:CheckValue></ofd:Reference>`;
    });
    signatureXmls.push(
      Buffer.from(
        `${XML_DECL}<ofd:Signature xmlns:ofd="${OFD_NS}"><ofd:SignedInfo>` +
          '<ofd:Provider ProviderName="licbridge" Company="licbridge" Version="1.0"/>' +
          `<ofd:SignatureMethod>${SM2_SM3_OID}</ofd:SignatureMethod><ofd:SignatureDateTime>${time}</ofd:SignatureDateTime>` +
          `<ofd:References CheckMethod="${SM3_OID}">${references}</ofd:References>` +
          `<ofd:StampAnnot ID="${doc.nextId}" PageRef="${doc.pageId}" Boundary="${num(stamp.x)} ${num(stamp.y)} ${num(stamp.width)} ${num(stamp.height)}"/>` +
          `</ofd:SignedInfo><ofd:SignedValue>/${SIGNED_VALUE}</ofd:SignedValue></ofd:Signature>\n`,
        'utf8',
      ),
    );
  }
  const dataHashes = sm3Many(signatureXmls);
  const prepared: PreparedSignature[] = [];
  for (let i = 0; i < packages.length; i++) {
    const parts = packages[i] as Map<string, Uint8Array>;
    parts.set(SIGNATURE_XML, signatureXmls[i] as Buffer);
    prepared.push({
      parts,
      dataHash: dataHashes[i] as Buffer,
      propertyInfo: `/${SIGNATURE_XML}`,
      signedAt,
      timeZone: documentZone((items[i] as ToSign).info),
    });
  }
  return prepared;
}

/** The signed OFD file: the prepared parts, the SES_Signature, zipped. */
export function finishSignature(prepared: PreparedSignature, sesSignature: Uint8Array): Buffer {
  // A part shared between files has its body (deflated) made once. A license's own parts are
  // stored, not deflated: deflating them (the page is some 16 KB, most of it the QR code's path)
  // cost more than the rest of the ZIP and the store together, and a stored file (some 22 KB
  // instead of 10) stays well under the 64 KB a license file may take (bench/license-files.ts,
  // docs/ofd.md, Cost). The SES_Signature — the seal's PNG and two certificates — barely shrinks.
  const entries: ZipEntry[] = [];
  prepared.parts.forEach((data, name) => {
    entries.push({ name, data, packed: sharedParts.packed(data) ?? packBody(data, false) });
  });
  entries.push({ name: SIGNED_VALUE, data: sesSignature, packed: packBody(sesSignature, false) });
  // The times zip tools list the parts at: the wall clock the CreationDate is a day of, so a file
  // sealed at 13:06 Beijing time is not listed at 05:06, nor one sealed before 08:00 the day before.
  return writeZip(entries, prepared.signedAt, prepared.timeZone);
}
