import type { Signer } from '../../adapters/signers/signer.js';
import { canonicalBytes, signingForm } from '../../catalog/canonical.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { SignatureLedger, StoredSignature, StoredVersion, VersionLedger } from '../../ledger/ledger.js';
import { storedSignedForm } from '../../ledger/stored-signed-form.js';
import type { StageStoredText } from '../../ledger/stored-text-quarantine.js';
import { storedText, unhashable } from '../reconcile/stored-text.js';
import { byUnit, issuerUnit, type OtherUnitVersion } from '../seal-units.js';
import { registerSignerKey } from '../signing-keys.js';

/**
 * Signs the canonical form of each version that the seal has not signed yet, and records the
 * signatures. Idempotent: a version already signed by this seal is skipped, and the ledger keeps
 * the first signature if two workers race. Returns the ids now signed (old and new).
 *
 * Only the versions whose recorded issuing unit is `unit.code`, the signer's
 * (pipelines/seal-units.ts `signerUnitCode`), are signed: a version written before the pipeline's
 * issuer and signer changed is the old unit's license, and stays unsigned, left out of the ids
 * returned (nothing delivers it) and named in `otherUnit`. A run's new versions carry the
 * pipeline's issuer now, so for them this is one string compare a version.
 *
 * A version whose stored text is corrupt (it does not read, or no longer hashes to the content
 * hash its version records: ../reconcile/stored-text.ts, as a repair reads it) is left unsigned
 * and out of the ids returned, named in `corrupt` for the caller to quarantine: read, it threw out
 * of the whole batch, and an edited text was signed under the content hash of the text it replaced.
 *
 * The signer's key is registered in the ledger before its first signature, as `sign backfill`
 * does: the ledger then records which key and certificate made every signature, and after a key
 * rotation `verify` can say which retired key an old signature needs in the trust list.
 */
export async function signVersions(
  signer: Signer,
  sealId: string,
  ledger: VersionLedger & SignatureLedger,
  versionIds: readonly number[],
  unit: { code: string; pipeline: string },
): Promise<{
  signedIds: number[];
  newlySigned: number;
  otherUnit: OtherUnitVersion[];
  corrupt: StageStoredText[];
}> {
  const existing = await ledger.getSignatures(versionIds);
  const done = new Set(existing.filter((s) => s.sealId === sealId).map((s) => s.versionId));
  const todo = versionIds.filter((id) => !done.has(id));
  if (todo.length === 0) return { signedIds: [...versionIds], newlySigned: 0, otherUnit: [], corrupt: [] };
  await registerSignerKey(ledger, signer);
  const page = signOwnUnit(signer, sealId, unit, await ledger.getVersions(todo));
  const newlySigned = await ledger.recordSignatures(await page.signing);
  return {
    signedIds: page.left.size === 0 ? [...versionIds] : versionIds.filter((id) => !page.left.has(id)),
    newlySigned,
    otherUnit: page.otherUnit,
    corrupt: page.corrupt,
  };
}

/**
 * Signs those of `versions` of the signer's `unit` whose stored text reads as recorded; the others
 * are named, and their ids given in `left`. Not async, as `signStoredVersions`: the versions are
 * let go once their bytes are made.
 */
function signOwnUnit(
  signer: Signer,
  sealId: string,
  unit: { code: string; pipeline: string },
  stored: readonly StoredVersion[],
): {
  signing: Promise<StoredSignature[]>;
  left: Set<number>;
  otherUnit: OtherUnitVersion[];
  corrupt: StageStoredText[];
} {
  const { sound: versions, corrupt: refused, bytesOf, issuerOf } = signableVersions(stored);
  const corrupt: StageStoredText[] = refused.map(({ version: v, problem }) => ({
    versionId: v.versionId,
    problem,
  }));
  // Each version's unit read once, from its issuer's text where signable gave it.
  const { own, others, otherVersions } = byUnit(versions, unit.pipeline, unit.code, (v) =>
    issuerUnit(v, issuerOf.get(v)),
  );
  const left = new Set(corrupt.map((c) => c.versionId));
  const sign = (vs: readonly StoredVersion[]) => signReadVersions(signer, sealId, vs, bytesOf);
  if (others.length === 0) return { signing: sign(versions), left, otherUnit: [], corrupt };
  for (const v of otherVersions) left.add(v.versionId);
  return {
    signing: own.length === 0 ? Promise.resolve([]) : sign(own),
    left,
    otherUnit: others,
    corrupt,
  };
}

/**
 * `v`'s signed bytes, or what is wrong with its stored text (../reconcile/stored-text.ts): the
 * check against its version's content hash and the bytes come from one serialisation of the
 * license (signingForm). A text that does not hash as recorded is told as storedText tells it.
 *
 * A text payloadColumn wrote gives its bytes without being parsed (ledger/stored-signed-form.ts),
 * proven the canonical form by the same content hash check; with them the text of its `issuer`.
 * Any other (rows written before, a text edited since) is read the long way below.
 */
export function signable(
  v: StoredVersion,
): { bytes: Uint8Array; issuerText?: string | undefined } | { problem: string } {
  const fast = storedSignedForm(v);
  if (fast !== undefined) return fast;
  const text = storedText(v, false);
  if ('problem' in text) return text;
  let form: ReturnType<typeof signingForm>;
  try {
    form = signingForm(text.license);
  } catch (e) {
    return unhashable(e);
  }
  if (form.contentHash === v.contentHash) return { bytes: form.bytes };
  const checked = storedText(v, true);
  return 'problem' in checked ? checked : { bytes: form.bytes };
}

/** At most this many versions left for their stored text are named in a summary; `storedText` counts them all. */
export const STORED_TEXT_LISTED = 10;

/** A version left unsigned or without a file for its stored text: by license id and version, never a value of it. */
export interface StoredTextVersion {
  licenseId: string;
  version: number;
  /** What is wrong with the text (pipelines/reconcile/stored-text.ts). */
  problem: string;
}

/** A version whose stored text `read` refused, and what is wrong with it. */
export interface CorruptText<V> {
  version: V;
  problem: string;
}

/**
 * `versions` parted by `read` (signable, or ../reconcile/stored-text.ts storedText): those whose
 * text it reads, in order, each given to `keep` with what it read, and the others with what is
 * wrong with each. The one loop by which the sign stage, the batch passes and `sign files` set a
 * corrupt text aside.
 */
export function partByStoredText<V, T extends object>(
  versions: readonly V[],
  read: (v: V) => T | { problem: string },
  keep?: (v: V, text: T) => void,
): { sound: V[]; corrupt: CorruptText<V>[] } {
  const sound: V[] = [];
  const corrupt: CorruptText<V>[] = [];
  for (const v of versions) {
    const text = read(v);
    if (isProblem(text)) corrupt.push({ version: v, problem: text.problem });
    else {
      keep?.(v, text);
      sound.push(v);
    }
  }
  return { sound, corrupt };
}

function isProblem(text: object): text is { problem: string } {
  return 'problem' in text;
}

/**
 * `versions` parted by {@link signable}: those it signs, in order, with their signed bytes (and the
 * text of their issuer, where it gave it) by version, and the others with what is wrong with each.
 */
export function signableVersions(versions: readonly StoredVersion[]): {
  sound: StoredVersion[];
  corrupt: CorruptText<StoredVersion>[];
  bytesOf: Map<StoredVersion, Uint8Array>;
  issuerOf: Map<StoredVersion, string>;
} {
  const bytesOf = new Map<StoredVersion, Uint8Array>();
  const issuerOf = new Map<StoredVersion, string>();
  const parted = partByStoredText(versions, signable, (v, form) => {
    bytesOf.set(v, form.bytes);
    if (form.issuerText !== undefined) issuerOf.set(v, form.issuerText);
  });
  return { ...parted, bytesOf, issuerOf };
}

/**
 * `corrupt` counted in `into.storedText` and the first of a whole run (up to
 * `STORED_TEXT_LISTED`) named in `into.storedTexts`; all of them named, for a log line's sample.
 */
export function nameStoredTexts(
  into: { storedText: number; storedTexts: StoredTextVersion[] },
  corrupt: readonly CorruptText<Pick<StoredVersion, 'licenseId' | 'version'>>[],
): StoredTextVersion[] {
  const named = corrupt.map(({ version: v, problem }) => ({
    licenseId: v.licenseId,
    version: v.version,
    problem,
  }));
  into.storedText += named.length;
  // Never a negative end: slice(0, -k) would name all but the last k.
  into.storedTexts.push(...named.slice(0, Math.max(0, STORED_TEXT_LISTED - into.storedTexts.length)));
  return named;
}

/**
 * Signs the canonical form of each version with the seal and returns the ledger records, in order.
 * The sign stage and the batch passes sign through signReadVersions, with the bytes signable made
 * as it checked each text; both end in signBytes, the one place a signer's output becomes a
 * signature record.
 *
 * Not async: the versions (their payload texts and parsed licenses) are let go once their bytes
 * are made, and only ids and hashes wait for the signer. An async function keeps its arguments
 * until it returns, and a batch's licenses, held while the signer pool works, outlived the young
 * generation and were promoted to the old one with every batch.
 */
export function signStoredVersions(
  signer: Signer,
  sealId: string,
  versions: readonly StoredVersion[],
): Promise<StoredSignature[]> {
  const keys = versions.map((v) => ({ versionId: v.versionId, contentHash: v.contentHash }));
  return signBytes(
    signer,
    sealId,
    keys,
    versions.map((v) => canonicalBytes(v.payload)),
  );
}

/** {@link signStoredVersions} of versions whose bytes {@link signable} made, as `bytesOf` holds them. */
export function signReadVersions(
  signer: Signer,
  sealId: string,
  versions: readonly StoredVersion[],
  bytesOf: ReadonlyMap<StoredVersion, Uint8Array>,
): Promise<StoredSignature[]> {
  const keys = versions.map((v) => ({ versionId: v.versionId, contentHash: v.contentHash }));
  const bytes = versions.map((v) => {
    const made = bytesOf.get(v);
    if (made === undefined) throw new Error(`sign: version ${v.versionId} was not read for signing`);
    return made;
  });
  return signBytes(signer, sealId, keys, bytes);
}

/** The signer's answer for `bytes`, `bytes[i]` the canonical form of `keys[i]`'s version, as records. */
function signBytes(
  signer: Signer,
  sealId: string,
  keys: readonly Pick<StoredVersion, 'versionId' | 'contentHash'>[],
  bytes: Uint8Array[],
): Promise<StoredSignature[]> {
  return signer.sign(bytes).then((records) => signatureRecords(signer.name, sealId, keys, records));
}

/**
 * A signer that answers with another count of signatures, or under another seal, broke the
 * contract: nothing of the batch is recorded, and the error names the signer and what it
 * returned. Not retryable: asking the same signer again gets the same answer.
 */
function wrongAnswer(signer: string, sealId: string, detail: string): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.SIGNER_FAILED,
    `sign: signer ${signer}: ${detail}; nothing of the batch is recorded`,
    {
      context: { signer, sealId },
    },
  );
}

function signatureRecords(
  signer: string,
  sealId: string,
  keys: readonly Pick<StoredVersion, 'versionId' | 'contentHash'>[],
  records: Awaited<ReturnType<Signer['sign']>>,
): StoredSignature[] {
  if (records.length !== keys.length)
    throw wrongAnswer(signer, sealId, `expected ${keys.length} signatures, got ${records.length}`);
  return keys.map((key, i) => {
    const r = records[i] as (typeof records)[number];
    if (r.sealId !== sealId)
      throw wrongAnswer(
        signer,
        sealId,
        `signature ${i} is by seal ${r.sealId}, not the pipeline's seal ${sealId}`,
      );
    return {
      versionId: key.versionId,
      contentHash: key.contentHash,
      algorithm: r.algorithm,
      digest: r.digest,
      signature: r.signature,
      distId: r.distId,
      sealId: r.sealId,
      signerKind: r.signerKind,
      certificateSerial: r.certificateSerial,
      certificateIssuer: r.certificateIssuer,
      signedAt: r.signedAt,
    };
  });
}
