/**
 * The items a deliver job sends: each delivery's version read from the ledger with its signature.
 *
 * A version whose stored text is corrupt is not sent: one that does not read threw out of the
 * whole wave (every other license of the job dead-lettered with it, or retried), and one edited
 * after it was signed (it reads, but no longer hashes to the content hash its version and its
 * signature record) went out as it reads, a license its signature does not cover. Read as a repair
 * reads it (../reconcile/stored-text.ts), such a version is a refusal here: a dead letter naming
 * license id, version and what is wrong, never a value of it.
 *
 * A version the pipeline's current seal has not signed (its signer or `sealId` changed after the
 * version was signed, its deliver job still queued) is not sent either, and is no dead letter: it
 * is left to the sign stage, which signs what the current seal has not (a sweep, the pipeline's
 * next run) and queues its delivery again. It too used to throw out of the whole wave.
 */
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { DEFAULT_DIST_ID } from '../../adapters/signers/signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { SignatureLedger, StoredDelivery, StoredSignature, VersionLedger } from '../../ledger/ledger.js';
import { storedText } from '../reconcile/stored-text.js';

/** A delivery refused unsent as its version's stored text is corrupt. */
export interface CorruptText {
  key: string;
  versionId: number;
  /** What is wrong with the text, never a value of it. */
  problem: string;
}

export interface BuiltItems {
  items: (DeliveryItem & { versionId: number })[];
  /** Refusals (`failed`, not retryable) of the deliveries whose text is corrupt, in `rows` order. */
  corrupt: (DeliveryOutcome & CorruptText)[];
  /** Keys of the deliveries whose version the seal has not signed: not sent, left `pending`. */
  unsigned: string[];
}

/** A content hash as licbridge writes it: SM3 in lowercase hex. */
const SM3_HEX = /^[0-9a-f]{64}$/;

/**
 * The items of `rows`. `signed` is the seal's signatures of their versions as sealSignatures read
 * them for the same call: passed on, they are not read again (a wave read each version's twice, to
 * leave out the unsigned and to build its items). A signature row is never changed or deleted once
 * written (ledger/signatures.ts: the first of a pair stands), so that read holds for the call.
 * @defaultValue read here, beside the versions
 */
export async function buildItems(
  ledger: VersionLedger & SignatureLedger,
  sealId: string,
  targetName: string,
  rows: readonly StoredDelivery[],
  signed?: ReadonlyMap<number, StoredSignature>,
): Promise<BuiltItems> {
  const ids = rows.map((r) => r.versionId);
  const [versions, sigByVersion] = await Promise.all([
    ledger.getVersions(ids),
    signed ?? sealSignatures(ledger, sealId, ids),
  ]);
  const byVersion = new Map(versions.map((v) => [v.versionId, v]));
  const built: BuiltItems = { items: [], corrupt: [], unsigned: [] };
  for (const row of rows) {
    const v = byVersion.get(row.versionId);
    const sig = sigByVersion.get(row.versionId);
    // A delivery row is made for a version of the ledger only (ensureDeliveries): one without is
    // the ledger's own inconsistency, not a version's.
    if (!v) {
      throw new LicbridgeError(ErrorCodes.INTERNAL, `deliver: version ${row.versionId} has no ledger entry`, {
        retryable: true,
        context: { target: targetName },
      });
    }
    if (!sig) {
      built.unsigned.push(row.key);
      continue;
    }
    // The sign stage signs only a text that hashes to its version's content hash (sign.ts): one
    // that no longer does is not the text signed. Matched when that hash is an SM3 value as
    // contentHash (catalog/canonical.ts) writes every version's; a label of another shape (the
    // ledger's test fixtures write `hash:a:valid`) says nothing of the text, which is only read.
    const text = storedText(v, SM3_HEX.test(v.contentHash));
    if ('problem' in text) {
      built.corrupt.push({
        key: row.key,
        versionId: row.versionId,
        problem: text.problem,
        state: 'failed',
        retryable: false,
        reasons: [
          `licbridge: LB_STORED_TEXT: license ${v.licenseId} version ${v.version}: ${text.problem}; not sent. Restore its text in the ledger, then replay this dead letter`,
        ],
      });
      continue;
    }
    built.items.push({
      key: row.key,
      versionId: row.versionId,
      licenseId: v.licenseId,
      version: v.version,
      operation: v.operation,
      license: text.license,
      signature: {
        algorithm: sig.algorithm,
        value: Buffer.from(sig.signature).toString('base64'),
        digest: sig.digest,
        sealId: sig.sealId,
        // The default id goes unnamed: what every platform assumes, and the payload as before.
        ...(sig.distId === DEFAULT_DIST_ID ? {} : { distId: sig.distId }),
      },
    });
  }
  return built;
}

/**
 * The signatures by `sealId` of those of `versionIds` it has signed, by version id. The deliver
 * stage sends no other version (see above): it leaves the rest out of its waves, neither sent nor
 * held back for a predecessor, and builds the items of those it sends from what this read.
 */
export async function sealSignatures(
  ledger: SignatureLedger,
  sealId: string,
  versionIds: readonly number[],
): Promise<Map<number, StoredSignature>> {
  if (versionIds.length === 0) return new Map();
  const signatures = await ledger.getSignatures(versionIds);
  return new Map(signatures.filter((s) => s.sealId === sealId).map((s) => [s.versionId, s]));
}

/**
 * Those of `versionIds` that `sealId` has signed: a job giving up on its deliveries leaves the
 * rest `pending` for the sign stage, no dead letters.
 */
export async function signedBy(
  ledger: SignatureLedger,
  sealId: string,
  versionIds: readonly number[],
): Promise<Set<number>> {
  return new Set((await sealSignatures(ledger, sealId, versionIds)).keys());
}
