/**
 * Verify's check of the acts an entry binds against the ledger's rows (audit.ts walks the chain and
 * asks it a page at a time): a batch entry's version-id ranges and digest (audit-batch.ts) of new
 * versions, signatures or license files, recomputed from the rows, and an entry of one act
 * (audit-acts.ts). Versions, signatures and license files are never changed once written, so a
 * digest that no longer matches names a changed, removed or added one.
 */
import { LICENSE_OPERATIONS } from '../core/code-lists.js';
import { actorSeal, firstDifferingSingle } from './audit-acts.js';
import { batchDigest, parseVersionRanges } from './audit-batch.js';
import type { AuditEntry, AuditProblem } from './audit-types.js';
import { readVersionActs, VERSION_ROWS_AT_ONCE, versionActProblem } from './audit-version-rows.js';
import { chunk, type Db, parseJson, toInt } from './db.js';
import { readDigest } from './digest-column.js';

/** Actions whose batch entries bind new versions (`[versionId, licenseId, version, contentHash]`): the operations. */
export const VERSION_ACTIONS: ReadonlySet<string> = new Set(LICENSE_OPERATIONS);

/**
 * The first entry of `page` (a batch's, or one act's: audit-acts.ts) whose acts no longer match the ledger: versions, signatures
 * and license files are never changed once written, so their batch digests are recomputed from the rows (delivery
 * rows change state after their entry, so delivery batches are bound by the chain alone).
 */
export async function firstDifferingBatch(
  db: Db,
  page: readonly AuditEntry[],
  newestId: number,
): Promise<AuditProblem | undefined> {
  const [batch, single] = await Promise.all([
    firstDifferingOfBatches(db, page, newestId),
    firstDifferingSingle(db, page, VERSION_ACTIONS),
  ]);
  return batch && single ? (batch.seq < single.seq ? batch : single) : (batch ?? single);
}

async function firstDifferingOfBatches(
  db: Db,
  page: readonly AuditEntry[],
  newestId: number,
): Promise<AuditProblem | undefined> {
  for (const e of page) {
    if (e.licenseId !== null || e.digest === null) continue;
    const isVersions = VERSION_ACTIONS.has(e.action);
    const seal = actorSeal(e, 'sign', 'signer:');
    const fileSeal = actorSeal(e, 'issue-file', 'seal:');
    if (!isVersions && seal === undefined && fileSeal === undefined) continue;
    const unwritten = (why: string): AuditProblem => ({
      seq: e.seq,
      kind: 'acts-differ',
      message: `entry ${e.seq} names versions it cannot have written${why}`,
    });
    let ranges: unknown;
    try {
      // A detail that does not parse was not written by the chain's writer (jcs): it is reported,
      // and parseJson's failure quotes none of it (entries name reasons and delivery keys).
      ranges = parseJson<{ versions?: unknown }>(e.detail).versions;
    } catch {
      return unwritten('');
    }
    if (typeof ranges !== 'string') continue;
    let ids: number[];
    try {
      // Bounded by the newest version id: a list rewritten to name billions is refused unexpanded.
      ids = parseVersionRanges(ranges, newestId);
    } catch (err) {
      return unwritten(`: ${(err as Error).message.replace(/^audit: /, '')}`);
    }
    const tuples = new Map<number, (string | number | null)[]>();
    let changed: { versionId: number; why: string } | undefined;
    await db.read('verifyAuditActs', async (k) => {
      for (const part of chunk([...new Set(ids)], Math.min(db.maxParams - 1, VERSION_ROWS_AT_ONCE))) {
        if (isVersions) {
          // The row's operation, text and status too (audit-version-rows.ts), a page of rows at a time.
          for (const r of await readVersionActs(k, (q) => q.whereIn('v.version_id', part))) {
            tuples.set(r.versionId, [r.licenseId, r.version, r.contentHash]);
            const why = versionActProblem(r, e.action);
            if (why !== undefined && (changed === undefined || r.versionId < changed.versionId))
              changed = { versionId: r.versionId, why };
          }
        } else if (fileSeal !== undefined) {
          const rows: {
            version_id: unknown;
            license_id: string;
            version: unknown;
            sm3: string;
            size: unknown;
          }[] = await k('license_files')
            .select('version_id', 'license_id', 'version', 'sm3', 'size')
            .where('seal', fileSeal)
            .whereIn('version_id', part);
          for (const r of rows)
            tuples.set(toInt(r.version_id), [r.license_id, toInt(r.version), r.sm3, toInt(r.size)]);
        } else {
          const rows: { version_id: unknown; digest: string; digest_bytes: unknown }[] = await k('signatures')
            .select('version_id', 'digest', 'digest_bytes')
            .where('seal_id', seal as string)
            .whereIn('version_id', part);
          for (const r of rows) tuples.set(toInt(r.version_id), [readDigest(r.digest, r.digest_bytes)]);
        }
      }
    });
    const missing = ids.find((id) => !tuples.has(id));
    const digest =
      missing === undefined
        ? batchDigest(
            ids.map((id) => ({ versionId: id, tuple: tuples.get(id) as (string | number | null)[] })),
          )
        : undefined;
    if (digest === e.digest && changed !== undefined) {
      return {
        seq: e.seq,
        kind: 'acts-differ',
        message: `entry ${e.seq}: the versions it records (${ranges}) were changed in the ledger since (version id ${changed.versionId}: ${changed.why})`,
      };
    }
    if (digest !== e.digest) {
      const what = isVersions ? 'versions' : fileSeal !== undefined ? 'license files' : 'signatures';
      return {
        seq: e.seq,
        kind: 'acts-differ',
        message:
          missing === undefined
            ? `entry ${e.seq}: the ${what} it records (${ranges}) were changed in the ledger since`
            : `entry ${e.seq}: the ${what} it records (${ranges}) are no longer all in the ledger (version id ${missing})`,
      };
    }
  }
  return undefined;
}
