/**
 * Reading and verifying the audit chain. Verification walks the chain in `seq` order, in pages,
 * recomputing every hash, and names the first entry that does not fit:
 * - a gap in `seq` is a deleted entry;
 * - a hash that does not match its values is an altered entry (or one moved to another place:
 *   `seq` is inside the hash, so a swap shows as an alteration at the first swapped position);
 * - a `prev_hash` that does not match the entry before is an inserted or reordered entry;
 * - a head that does not match the last entry is a deletion at the end of the chain, and an entry
 *   past the head one written outside licbridge (or a head set back);
 * - a chain that records no act of the ledger's newest version was emptied, or cut short with its
 *   head set back to fit (a version and its entry are written in one transaction); so was one
 *   whose `read` entries of a recent run add up to fewer rows than the run counts (audit-acts.ts),
 *   or that records no act of the newest signature, license file, seal key, objection,
 *   dead-letter action or reminder (audit-latest-acts.ts);
 * - a batch entry (audit-batch.ts, checked in audit-batch-acts.ts) of new versions, signatures or
 *   license files whose digest no longer matches the ledger rows of its acts is a changed, removed
 *   or added one; so is a version whose operation is not the entry's action, or whose stored text
 *   or status is not what its content hash says (audit-version-rows.ts);
 * - a version row no entry records was written outside licbridge (audit-versions.ts);
 * - a delivery accepted, submitted or dead that no entry of its state records was rewritten in the
 *   database, or its entry cut off the chain (audit-deliveries.ts).
 */

import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { type NewestVersion, readRows, recentRunReads, recordsVersion } from './audit-acts.js';
import { actCount, rangesHold, versionRangeParts } from './audit-batch.js';
import { firstDifferingBatch, VERSION_ACTIONS } from './audit-batch-acts.js';
import { auditHash } from './audit-chain.js';
import { DeliveryTally, unrecordedDeliveries, unrecordedDeliveriesProblem } from './audit-deliveries.js';
import { LatestActsTally, latestActs } from './audit-latest-acts.js';
import { type AuditRow, toEntry } from './audit-row.js';
import type {
  AuditEntry,
  AuditProblem,
  AuditQuery,
  AuditVerification,
  LicenseAuditEntry,
} from './audit-types.js';
import { unrecordedProblem, unrecordedVersions, VersionTally } from './audit-versions.js';
import { type Db, parseJson, toInt } from './db.js';
import { GENESIS_HASH } from './migrations/004-audit-reconcile.js';

/** A page of entries in `seq` order, filtered by seq and/or time range. */
export async function readAudit(db: Db, query: AuditQuery): Promise<AuditEntry[]> {
  return db.read('readAudit', async (k) => {
    const q = k('audit_log')
      .select('*')
      .orderBy('seq')
      .limit(query.limit ?? 1000);
    if (query.afterSeq !== undefined) q.where('seq', '>', query.afterSeq);
    if (query.fromSeq !== undefined) q.where('seq', '>=', query.fromSeq);
    if (query.toSeq !== undefined) q.where('seq', '<=', query.toSeq);
    if (query.from !== undefined) q.where('at', '>=', query.from.toISOString());
    if (query.to !== undefined) q.where('at', '<', query.to.toISOString());
    const rows: AuditRow[] = await q;
    return rows.map(toEntry);
  });
}

export interface VerifyAuditOptions {
  /** Entries read at a time, and version ids. @defaultValue 5000 */
  pageSize?: number;
  /** Most ranges of recorded version ids held at once (audit-id-ranges.ts). */
  rangeCap?: number;
  /**
   * Told after each page of the walk: the entries checked so far, and the head's seq the walk
   * ends at. Counts only, for a command's progress line.
   */
  onPage?: (checked: number, headSeq: number) => void;
  /**
   * Told after each page of the later pass over the ledger's version ids (audit-versions.ts): the
   * ids read so far in window `window` (1, unless the ids recorded take more than `rangeCap`
   * ranges). No total: it is not counted ahead.
   */
  onVersions?: (read: number, window: number) => void;
  /**
   * Told after each page of the walk of the chain made again for each window of version ids past
   * the first (audit-versions.ts): the entries walked so far, the head's seq, and the window (2 on).
   */
  onRewalk?: (walked: number, headSeq: number, window: number) => void;
  /**
   * Told after each page of the walk of the chain for the entries nearest the unrecorded versions
   * named (audit-nearest.ts; only when there are some): the entries walked so far, the head's seq.
   */
  onNearest?: (walked: number, headSeq: number) => void;
}

export async function verifyAudit(db: Db, options: VerifyAuditOptions = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  // The head and the last seq in one statement, so one snapshot: the walk covers the chain as it
  // stood then. Entries appended while it runs (another process at work) are past that head and
  // are not a broken chain; an entry past the head at that moment is one no writer put there.
  // The ledger's newest version too: its act's entry is at or before that head (one transaction
  // wrote both), so a chain that records no act of it was emptied or cut short (audit-acts.ts);
  // among the safe integers, as a row past them no entry can record (audit-versions.ts names it).
  // Before the head: the runs' counts then are covered by entries up to the head (audit-acts.ts).
  const runs = await recentRunReads(db);
  // The newest signature, license file, key, objection, dead-letter action and reminder, read
  // before the head too: each row commits with its entry (audit-latest-acts.ts).
  const latest = new LatestActsTally(await latestActs(db));
  const head = await db.read('verifyAudit', async (k) => {
    const safe = k('license_versions').where('version_id', '<=', Number.MAX_SAFE_INTEGER);
    const newest = () => safe.clone().orderBy('version_id', 'desc').limit(1);
    const row:
      | {
          seq: unknown;
          hash: string;
          last: unknown;
          first: unknown;
          newest_id: unknown;
          newest_license: string | null;
          newest_version: unknown;
        }
      | undefined = await k('audit_head')
      .select(
        'seq',
        'hash',
        k('audit_log').max('seq').as('last'),
        k('audit_log').min('seq').as('first'),
        newest().select('version_id').as('newest_id'),
        newest().select('license_id').as('newest_license'),
        newest().select('version').as('newest_version'),
      )
      .where({ id: 1 })
      .first();
    if (!row) return undefined;
    const newestVersion: NewestVersion | undefined =
      row.newest_id === null || row.newest_license === null
        ? undefined
        : {
            versionId: toInt(row.newest_id),
            licenseId: row.newest_license,
            version: toInt(row.newest_version),
          };
    // A head set to what no writer writes (SQLite keeps any value) is a changed head, named below.
    const seq = typeof row.seq === 'number' || typeof row.seq === 'string' ? Number(row.seq) : Number.NaN;
    return {
      seq: Number.isSafeInteger(seq) && seq >= 0 && typeof row.hash === 'string' ? seq : undefined,
      hash: row.hash,
      last: row.last === null ? 0 : toInt(row.last),
      first: row.first === null ? 1 : toInt(row.first),
      newest: newestVersion,
    };
  });
  const fail = (entries: number, problem: AuditProblem): AuditVerification => ({
    ok: false,
    entries,
    headSeq: head?.seq ?? 0,
    firstBad: problem,
  });
  if (!head) return fail(0, { seq: 1, kind: 'head-mismatch', message: 'the chain head row is missing' });
  if (head.seq === undefined) {
    return fail(0, {
      seq: 1,
      kind: 'head-mismatch',
      message:
        'the chain head (table audit_head) holds a seq or hash no licbridge writer writes: the head was changed',
    });
  }

  // The walk reads from entry 1 on: a row below it (seq 0 or less) is no entry of the chain, yet
  // nothing after would read it. Written outside licbridge, and the first entry that does not fit.
  if (head.first < 1) {
    return fail(0, {
      seq: head.first,
      kind: 'chain-broken',
      message: `entry ${head.first} lies before entry 1, where the chain starts: written outside licbridge`,
    });
  }

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let newestRecorded = head.newest === undefined;
  // Every version an entry up to the head names was written by then: none has a greater id.
  const newestId = head.newest?.versionId ?? 0;
  const recorded = new Map<string, number>();
  const tally = new VersionTally(
    VERSION_ACTIONS,
    options.rangeCap === undefined ? {} : { cap: options.rangeCap },
  );
  const deliveries = new DeliveryTally(options.rangeCap === undefined ? {} : { cap: options.rangeCap });
  while (expectedSeq <= head.seq) {
    const page = await readAudit(db, { afterSeq: expectedSeq - 1, toSeq: head.seq, limit: pageSize });
    if (page.length === 0) break;
    for (const [i, e] of page.entries()) {
      const problem = linkProblem(e, expectedSeq, prevHash);
      if (problem) {
        // The entries before it are linked; a batch among them whose acts differ from the ledger
        // is the first entry that does not fit, not this one.
        const earlier = await firstDifferingBatch(db, page.slice(0, i), newestId);
        return earlier ? fail(earlier.seq - 1, earlier) : fail(checked, problem);
      }
      if (!newestRecorded) newestRecorded = recordsVersion(e, head.newest as NewestVersion, VERSION_ACTIONS);
      const read = readRows(e, runs);
      if (read) recorded.set(read.runId, (recorded.get(read.runId) ?? 0) + read.rows);
      tally.note(e);
      deliveries.note(e);
      latest.note(e);
      prevHash = e.hash;
      expectedSeq += 1;
      checked += 1;
    }
    const differs = await firstDifferingBatch(db, page, newestId);
    if (differs) return fail(differs.seq - 1, differs);
    await tally.settle(db);
    await deliveries.settle(db);
    options.onPage?.(checked, head.seq);
  }
  if (head.seq !== checked || head.hash !== prevHash) {
    const seq = Math.min(head.seq, checked) + 1;
    return fail(checked, {
      seq,
      kind: 'head-mismatch',
      message: `the chain head says ${head.seq} entries, ${checked} follow each other: entries from ${seq} on are missing or the head was changed`,
    });
  }
  if (head.last > head.seq) {
    return fail(checked, {
      seq: head.seq + 1,
      kind: 'head-mismatch',
      message: `entries ${head.seq + 1} to ${head.last} lie past the chain head (${head.seq} entries): written outside licbridge, or the head was set back`,
    });
  }
  if (!newestRecorded) {
    const newest = (head.newest as NewestVersion).versionId;
    return fail(checked, {
      seq: head.seq + 1,
      kind: 'head-mismatch',
      message:
        checked === 0
          ? `the chain holds no entry, yet the ledger holds versions (the newest: version id ${newest}): every entry was deleted and the head set back to the start`
          : `no entry of the chain's ${checked} records version id ${newest}, the ledger's newest: entries from ${head.seq + 1} on were deleted and the head set back`,
    });
  }
  const unrecordedActs = latest.unrecorded();
  if (unrecordedActs.length > 0) {
    return fail(checked, {
      seq: head.seq + 1,
      kind: 'head-mismatch',
      message: `no entry of the chain's ${checked} records the ledger's newest ${unrecordedActs.map((a) => a.what).join(', nor its newest ')}: entries from ${head.seq + 1} on were deleted and the head set back`,
    });
  }
  for (const [runId, counted] of runs) {
    const found = recorded.get(runId) ?? 0;
    if (found >= counted) continue;
    return fail(checked, {
      seq: head.seq + 1,
      kind: 'head-mismatch',
      message: `the chain's read entries of run ${runId} account for ${found} of its ${counted} rows read, as the ledger counts them: entries from ${head.seq + 1} on were deleted and the head set back`,
    });
  }
  const unrecorded = await unrecordedVersions(db, tally, {
    newestId,
    headSeq: head.seq,
    pageSize,
    ...(options.onVersions ? { onRead: options.onVersions } : {}),
    ...(options.onRewalk ? { onRewalk: options.onRewalk } : {}),
  });
  const problem = await unrecordedProblem(db, unrecorded, tally, {
    headSeq: head.seq,
    pageSize,
    ...(options.onNearest ? { onNearest: options.onNearest } : {}),
  });
  if (problem) return { ok: false, entries: checked, headSeq: head.seq, firstBad: problem, unrecorded };
  // Each delivery's state against the entries of that state (audit-deliveries.ts).
  const sent = unrecordedDeliveriesProblem(
    await unrecordedDeliveries(db, deliveries, { headSeq: head.seq, pageSize }),
    head.seq,
  );
  if (sent) return fail(checked, sent);
  return { ok: true, entries: checked, headSeq: head.seq, headHash: head.hash };
}

/** Why entry `e` does not follow the chain at `expectedSeq` after `prevHash`; undefined when it does. */
export function linkProblem(e: AuditEntry, expectedSeq: number, prevHash: string): AuditProblem | undefined {
  if (e.seq !== expectedSeq) {
    return {
      seq: expectedSeq,
      kind: 'missing',
      message: `entry ${expectedSeq} is missing (the next entry is ${e.seq})`,
    };
  }
  if (e.malformed !== undefined) {
    // Before the links: such a value cannot be hashed as the writer did, and no writer wrote it.
    return {
      seq: e.seq,
      kind: 'altered',
      message: `entry ${e.seq} was altered: its ${e.malformed.join(', ')} ${e.malformed.length === 1 ? 'holds a value' : 'hold values'} no licbridge writer writes`,
    };
  }
  if (e.prevHash !== prevHash) {
    return {
      seq: e.seq,
      kind: 'chain-broken',
      message: `entry ${e.seq} does not follow entry ${e.seq - 1} (prev_hash differs): inserted or reordered`,
    };
  }
  const recomputed = auditHash({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    license_id: e.licenseId,
    version: e.version,
    digest: e.digest,
    detail: e.detail,
    prev_hash: e.prevHash,
  });
  if (recomputed !== e.hash) {
    return {
      seq: e.seq,
      kind: 'altered',
      message: `entry ${e.seq} was altered or moved: its hash does not match its values`,
    };
  }
  return undefined;
}

export interface LicenseAuditOptions {
  /** Told after each page of the walk: the entries walked so far. Counts only, for a command's progress line. */
  onPage?: (walked: number) => void;
}

export async function licenseAudit(
  db: Db,
  licenseId: string,
  options: LicenseAuditOptions = {},
): Promise<LicenseAuditEntry[] | undefined> {
  const versions = await db.read('licenseAuditVersions', async (k) => {
    const rows: { version_id: unknown; version: unknown }[] = await k('license_versions')
      .select('version_id', 'version')
      .where({ license_id: licenseId });
    return new Map(rows.map((r) => [toInt(r.version_id), toInt(r.version)]));
  });
  if (versions.size === 0) return undefined;
  const out: LicenseAuditEntry[] = [];
  let after = 0;
  let walked = 0;
  for (;;) {
    const page = await readAudit(db, { afterSeq: after, limit: 5000 });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.licenseId === licenseId) {
        out.push({ ...e, versions: e.version === null ? [] : [e.version], acts: 1 });
        continue;
      }
      // Only a batch entry (no license of its own) can name the license's versions.
      if (e.licenseId !== null || !e.detail.includes('"versions"')) continue;
      let parts: [number, number][];
      try {
        const detail = parseJson<{ versions?: unknown }>(e.detail);
        if (typeof detail.versions !== 'string') continue;
        // The license's few version ids are looked for in the ranges, never the ranges expanded: a
        // list rewritten to name billions would run out of memory (audit verify names that entry).
        parts = versionRangeParts(detail.versions);
      } catch (err) {
        // Neither failure quotes the text (an entry's detail names reasons and keys): the entry is named.
        throw new LicbridgeError(
          ErrorCodes.LEDGER,
          `audit: entry ${e.seq} cannot be read: ${(err as Error).message.replace(/^audit: /, '')}; run \`licbridge audit verify\``,
        );
      }
      const named = [...versions]
        .filter(([id]) => rangesHold(parts, id))
        .sort(([a], [b]) => a - b)
        .map(([, v]) => v);
      if (named.length > 0) out.push({ ...e, versions: named, acts: actCount(e) });
    }
    after = (page.at(-1) as AuditEntry).seq;
    walked += page.length;
    options.onPage?.(walked);
  }
  return out;
}
