/**
 * Verifying a sealed OFD file (GB/T 33190 §18, GM/T 0099, GB/T 38540 §7), every step named in the
 * result: the archive's integrity; each signature's references (SM3 of every part it lists, and
 * every part of the package listed); the SES_Signature — its dataHash against Signature.xml, its
 * SM2 signature over TBS_Sign with the signer's certificate; that certificate listed in the seal
 * and valid at signing time; the seal's own maker signature and validity at signing time; and
 * the signer's certificate (and the seal maker's) against the keys the operator trusts
 * (ofd-trust.ts).
 */
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { xmlReferences } from '../../../core/xml-references.js';
import { signingUseProblem, validityProblem } from '../../signers/certificate.js';
import {
  CLOCK_SKEW_MS,
  checkSeal,
  embeddedCertificate,
  sealListsCertificate,
  verifyWithCertificate,
} from '../../signers/ses/check-seal.js';
import { decodeSesSignature, type SesSignature } from '../../signers/ses/signature-format.js';
import { readZip, type ZipArchive, ZipError } from '../zip/zip-reader.js';
import { SM2_SM3_OID, SM3_OID } from './ofd-signature.js';
import { makerProblem, type TrustedMaterial, trustProblem } from './ofd-trust.js';
import { timeStamped } from './timestamp-token.js';
import { xmlCharProblem } from './xml-characters.js';
import { xmlPartError } from './xml-failure.js';

export interface OfdSignatureResult {
  /** Path of the Signature.xml. */
  path: string;
  sealId: string | null;
  sealName: string | null;
  signerSerial: string | null;
  signedAt: string | null;
  references: number;
  problems: string[];
  /** What the verdict rests on without failing it (a seal revoked after this signature, …). */
  notes: string[];
  /**
   * The SES_Signature's `timeStamp` (GB/T 38540, an RFC 3161 token over the signature value):
   * `none`; `verified` (sound, its authority trusted: `timeStampedAt` is attested); `unverified`
   * (sound, its authority not trusted: the signing time stays the signer's own word); `invalid`
   * (not sound: the signature fails).
   */
  timeStamp: 'none' | 'verified' | 'unverified' | 'invalid';
  /** The time the timestamp states (TSTInfo genTime), when it could be read. */
  timeStampedAt: string | null;
}

export interface OfdVerifyResult {
  ok: boolean;
  problems: string[];
  signatures: OfdSignatureResult[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // `&#x2F;` is a slash in a FileRef as anywhere (core/xml-references.ts).
  entityDecoder: xmlReferences,
  // The parser hands callbacks its path matcher, written out as text only for a `Signature`: with
  // its `jPath` option on, it wrote the path out for every element and attribute of every part, a
  // tenth of a verification's CPU (connectors/xml-files/records.ts does the same).
  jPath: false,
  isArray: (name, jpath) =>
    ['Reference', 'StampAnnot', 'Page'].includes(name) ||
    (name === 'Signature' && jpath.toString() === 'Signatures.Signature'),
});

type Node = Record<string, unknown>;

/** A part parsed; one that does not parse fails without its text (xml-failure.ts). */
function xml(archive: ZipArchive, path: string): Node {
  const text = archive.read(path).toString('utf8');
  try {
    return parser.parse(text) as Node;
  } catch (e) {
    throw xmlPartError(path, e);
  }
}

function child(node: unknown, name: string): unknown {
  return node !== null && typeof node === 'object' ? (node as Node)[name] : undefined;
}

function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node.trim();
  const t = child(node, '#text');
  return typeof t === 'string' ? t.trim() : undefined;
}

/**
 * A package path (ST_Loc): absolute from the root, or relative to the folder of `base`; null when
 * its `..` climbs above the root. Such a location names no part of the package: read as if the
 * climb stopped at the root (`/../../OFD.xml` as `OFD.xml`), it verified here while a reader that
 * resolves it as written finds nothing there, or looks outside the package.
 */
function resolveLoc(loc: string, base: string): string | null {
  const parts = loc.startsWith('/') ? [] : base.split('/').slice(0, -1);
  for (const seg of loc.replace(/^\/+/, '').split('/')) {
    if (seg === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

const CLIMBS_OUT = 'the location climbs out of the package';

/**
 * The moment a `SignatureDateTime` names, when it names one: GeneralizedTime in UTC (as written
 * here) or an ISO time with its zone. A time without a zone (some producers write local time) is
 * no moment, and is not compared.
 */
function statedTime(text: string | undefined): Date | null {
  if (text === undefined) return null;
  const g = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  const iso = g
    ? `${g[1]}-${g[2]}-${g[3]}T${g[4]}:${g[5]}:${g[6]}Z`
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(text)
      ? text
      : null;
  if (iso === null) return null;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * How far a signing time may lie ahead of the verifier's clock: the signing host's clock and this
 * one may differ by a little, never by more.
 */
export { CLOCK_SKEW_MS };

function checkSes(
  ses: SesSignature,
  signatureXml: Buffer,
  path: string,
  trust: readonly TrustedMaterial[],
  now: Date,
): string[] {
  const problems: string[] = [];
  // Every check below is made at the signing time the signature states: one in the future would
  // let a signer date a file inside a validity it has not reached, or one that is over for now.
  if (ses.signedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    problems.push(
      `signed at ${ses.signedAt.toISOString()}, after the time of verification (${now.toISOString()})`,
    );
  if (ses.signAlgorithm !== SM2_SM3_OID)
    problems.push(`SES_Signature algorithm ${ses.signAlgorithm} is not sm2sign-with-sm3`);
  if (!Buffer.from(ses.dataHash).equals(createHash('sm3').update(signatureXml).digest())) {
    problems.push(`dataHash mismatch: ${path} is not the Signature.xml that was signed`);
  }
  // TBS_Sign's ExtData `critical`, as in X.509: a verifier that does not understand the extension
  // may not accept the signature. licbridge understands none.
  for (const ext of ses.extensions)
    if (ext.critical)
      problems.push(
        `the signature holds critical extension ${ext.id}, which licbridge does not understand (a verifier that does not may not accept the signature)`,
      );
  if (ses.propertyInfo.replace(/^\/+/, '') !== path) {
    problems.push(`propertyInfo names ${ses.propertyInfo}, not ${path}`);
  }
  const signer = embeddedCertificate(ses.signerCertificate, 'signer');
  if (!signer) {
    problems.push("the signer's certificate is not a readable X.509 certificate");
    return problems;
  }
  if (!verifyWithCertificate(signer, ses.signedBytes, ses.signature)) {
    problems.push(
      `the SES signature does not verify with the signer's certificate (serial ${signer.serial})`,
    );
  }
  if (!sealListsCertificate(ses.seal, ses.signerCertificate)) {
    problems.push(`the signer's certificate (serial ${signer.serial}) is not one the seal lists`);
  }
  const when = validityProblem(signer, ses.signedAt);
  if (when) problems.push(`the signer's certificate serial ${signer.serial} was ${when} (signing time)`);
  const use = signingUseProblem(signer);
  if (use) problems.push(`the signer's certificate serial ${signer.serial} ${use}`);
  const seal = checkSeal(ses.seal, ses.signedAt);
  problems.push(...seal.problems.map((p) => `${p} (seal ${ses.seal.info.esId}, at signing time)`));
  const signerTrust = trustProblem(signer, 'signer', trust);
  if (signerTrust) problems.push(signerTrust);
  const makerTrust = seal.maker ? makerProblem(ses.seal, seal.maker, trust) : null;
  if (makerTrust) problems.push(makerTrust);
  return problems;
}

/**
 * The SM3 (base64) of each part, hashed once per verification: a file from anywhere may name one
 * part in any number of references and signatures, and each reading inflates it anew (up to
 * MAX_PART_BYTES), so a few bytes of XML per reference asked for gigabytes of work.
 */
function partDigests(archive: ZipArchive): (path: string) => string {
  const digests = new Map<string, string>();
  return (path) => {
    let d = digests.get(path);
    if (d === undefined) {
      d = createHash('sm3').update(archive.read(path)).digest('base64');
      digests.set(path, d);
    }
    return d;
  };
}

/** How many times each value occurs, in order of first occurrence. */
function counted(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function verifyOne(
  archive: ZipArchive,
  path: string,
  covered: Set<string>,
  digestOf: (path: string) => string,
  pages: DocumentPages,
  trust: readonly TrustedMaterial[],
  now: Date,
): OfdSignatureResult {
  const result: OfdSignatureResult = {
    path,
    sealId: null,
    sealName: null,
    signerSerial: null,
    signedAt: null,
    references: 0,
    problems: [],
    notes: [],
    timeStamp: 'none',
    timeStampedAt: null,
  };
  const problems = result.problems;
  if (!archive.has(path)) {
    problems.push(`${path} is missing`);
    return result;
  }
  const signatureXml = archive.read(path);
  const root = child(xml(archive, path), 'Signature');
  const info = child(root, 'SignedInfo');
  const method = textOf(child(info, 'SignatureMethod'));
  if (method !== SM2_SM3_OID && method?.toUpperCase() !== 'SM2')
    problems.push(`SignatureMethod ${method} is not SM2 with SM3`);
  const refs = child(info, 'References');
  const checkMethod = child(refs, '@_CheckMethod');
  if (checkMethod !== SM3_OID && String(checkMethod).toUpperCase() !== 'SM3')
    problems.push(`CheckMethod ${String(checkMethod)} is not SM3`);
  const references: { file: string; expected: string | undefined }[] = [];
  for (const ref of (child(refs, 'Reference') as unknown[] | undefined) ?? []) {
    const loc = String(child(ref, '@_FileRef') ?? '');
    const file = resolveLoc(loc, path);
    if (file === null) {
      result.references++;
      problems.push(`reference ${loc}: ${CLIMBS_OUT}`);
    } else references.push({ file, expected: textOf(child(ref, 'CheckValue')) });
  }
  // GM/T 0099 lists each signed part once: a part named again (in the same or another form of
  // its path) is refused, and its check values are all compared with the one digest.
  for (const [file, n] of counted(references.map((r) => r.file)))
    if (n > 1) problems.push(`reference ${file}: named by ${n} references`);
  const mismatched = new Set<string>();
  for (const { file, expected } of references) {
    result.references++;
    covered.add(file);
    if (mismatched.has(file)) continue;
    if (!archive.has(file)) {
      problems.push(`reference ${file}: the part is missing`);
      mismatched.add(file);
    } else if (digestOf(file) !== expected) {
      problems.push(`reference ${file}: SM3 mismatch (the part changed after signing)`);
      mismatched.add(file);
    }
  }
  const stampProblem = stampPageProblem(child(info, 'StampAnnot'), pages);
  if (stampProblem) problems.push(stampProblem);
  const valueLoc = textOf(child(root, 'SignedValue'));
  if (valueLoc === undefined) {
    problems.push(`${path} names no SignedValue`);
    return result;
  }
  const valuePath = resolveLoc(valueLoc, path);
  covered.add(path);
  if (valuePath === null) {
    problems.push(`SignedValue ${valueLoc}: ${CLIMBS_OUT}`);
    return result;
  }
  covered.add(valuePath);
  if (!archive.has(valuePath)) {
    problems.push(`${valuePath} is missing`);
    return result;
  }
  let ses: SesSignature;
  try {
    ses = decodeSesSignature(archive.read(valuePath));
  } catch (e) {
    problems.push(`${valuePath} is not a GB/T 38540 v4 SES_Signature: ${(e as Error).message}`);
    return result;
  }
  result.sealId = ses.seal.info.esId;
  result.sealName = ses.seal.info.name;
  result.signedAt = ses.signedAt.toISOString();
  result.signerSerial = embeddedCertificate(ses.signerCertificate, 'signer')?.serial ?? null;
  problems.push(...checkSes(ses, signatureXml, path, trust, now));
  if (ses.timeStamp !== null) timeStamped(result, ses, trust);
  const shown = statedTime(textOf(child(info, 'SignatureDateTime')));
  if (shown && Math.floor(shown.getTime() / 1000) !== Math.floor(ses.signedAt.getTime() / 1000)) {
    problems.push(
      `SignatureDateTime ${shown.toISOString()} is not the SES_Signature's signing time ${ses.signedAt.toISOString()}: readers show the one, the checks are made at the other`,
    );
  }
  return result;
}

/** The pages the document lists (its Document.xml's `Pages`), by ID, and where it lists them. */
interface DocumentPages {
  ids: Set<string>;
  /** The Document.xml read, or null when OFD.xml names none the package holds. */
  path: string | null;
}

/** The page IDs of the document OFD.xml's `DocRoot` names; none when it names none the package holds. */
function documentPages(archive: ZipArchive, body: unknown): DocumentPages {
  const loc = textOf(child(body, 'DocRoot'));
  const path = loc === undefined ? null : resolveLoc(loc, 'OFD.xml');
  if (path === null || !archive.has(path)) return { ids: new Set(), path: null };
  const pages = (child(child(child(xml(archive, path), 'Document'), 'Pages'), 'Page') as unknown[]) ?? [];
  return { ids: new Set(pages.map((p) => String(child(p, '@_ID') ?? '').trim())), path };
}

/** Page IDs as a problem names them: the first few, and how many more. */
function shownIds(ids: ReadonlySet<string>): string {
  if (ids.size === 0) return 'none';
  const first = [...ids].slice(0, 5).join(', ');
  return ids.size > 5 ? `${first} and ${ids.size - 5} more` : first;
}

/**
 * Why a signature's stamps are not drawn on the document, or null: each StampAnnot (GB/T 33190
 * §18) is drawn on the page its PageRef names, and one naming no page the document lists is drawn
 * nowhere — readers show the license with no seal on it, while every hash and signature holds.
 */
function stampPageProblem(stamps: unknown, pages: DocumentPages): string | null {
  for (const stamp of (stamps as unknown[] | undefined) ?? []) {
    const ref = String(child(stamp, '@_PageRef') ?? '').trim();
    if (pages.ids.has(ref)) continue;
    const listed =
      pages.path === null
        ? 'OFD.xml names no document the package holds (DocRoot)'
        : `${pages.path} lists page${pages.ids.size === 1 ? '' : 's'} ${shownIds(pages.ids)}`;
    return `StampAnnot ${String(child(stamp, '@_ID') ?? '?')}: its PageRef ${ref || '(none)'} names no page of the document (${listed}): readers draw the seal nowhere`;
  }
  return null;
}

/**
 * Verifies every signature of an OFD file, at `now` (a signing time after it fails). Never throws
 * for a bad file: the problems say why.
 */
export function verifyOfd(
  file: Buffer,
  trust: readonly TrustedMaterial[],
  now: Date = new Date(),
): OfdVerifyResult {
  let archive: ZipArchive;
  try {
    archive = readZip(file);
  } catch (e) {
    return {
      ok: false,
      problems: [e instanceof ZipError ? e.message : `not an OFD package: ${(e as Error).message}`],
      signatures: [],
    };
  }
  const problems: string[] = [];
  const signatures: OfdSignatureResult[] = [];
  try {
    if (!archive.has('OFD.xml'))
      return { ok: false, problems: ['OFD.xml is missing: not an OFD package'], signatures };
    const body = child(child(xml(archive, 'OFD.xml'), 'OFD'), 'DocBody');
    const sigLoc = textOf(child(body, 'Signatures'));
    if (sigLoc === undefined)
      return {
        ok: false,
        problems: ['the document is not signed (OFD.xml names no Signatures)'],
        signatures,
      };
    const listPath = resolveLoc(sigLoc, 'OFD.xml');
    if (listPath === null)
      return { ok: false, problems: [`OFD.xml: Signatures ${sigLoc}: ${CLIMBS_OUT}`], signatures };
    if (!archive.has(listPath)) return { ok: false, problems: [`${listPath} is missing`], signatures };
    const entries =
      (child(child(xml(archive, listPath), 'Signatures'), 'Signature') as unknown[] | undefined) ?? [];
    if (entries.length === 0) problems.push(`${listPath} lists no signature`);
    const covered = new Set<string>();
    const digestOf = partDigests(archive);
    const pages = documentPages(archive, body);
    // A signature named again is verified once: each would cost its references and signatures anew.
    const located = entries.map((e) => {
      const loc = String(child(e, '@_BaseLoc') ?? '');
      const at = resolveLoc(loc, listPath);
      if (at === null) problems.push(`${listPath}: signature ${loc}: ${CLIMBS_OUT}`);
      return at;
    });
    const paths = counted(located.filter((at): at is string => at !== null));
    for (const [path, n] of paths) {
      if (n > 1) problems.push(`${listPath} names ${path} ${n} times`);
      signatures.push(verifyOne(archive, path, covered, digestOf, pages, trust, now));
    }
    // Every byte a reader may show is under a signature: a part no reference covers could be swapped freely.
    for (const name of archive.names)
      if (!covered.has(name)) problems.push(`${name} is not covered by any signature`);
    for (const name of archive.names) {
      if (!name.toLowerCase().endsWith('.xml')) continue;
      const problem = xmlCharProblem(name, archive.read(name));
      if (problem) problems.push(problem);
    }
  } catch (e) {
    if (e instanceof ZipError) problems.push(e.message);
    else problems.push(`malformed OFD: ${(e as Error).message}`);
  }
  const ok =
    problems.length === 0 && signatures.length > 0 && signatures.every((s) => s.problems.length === 0);
  return { ok, problems, signatures };
}
