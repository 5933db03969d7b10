/**
 * Reading and verifying the audit chain. Verification walks the chain in `seq` order, in pages,
 * recomputing every hash, and names the first entry that does not fit:
 * - a gap in `seq` is a deleted entry;
 * - a hash that does not match its values is an altered entry (or one moved to another place:
 *   `seq` is inside the hash, so a swap shows as an alteration at the first swapped position);
 * - a `prev_hash` that does not match the entry before is an inserted or reordered entry;
 * - a head that does not match the last entry is a deletion at the end of the chain.
 */

import { auditHash } from './audit-chain.js';
import type { AuditEntry, AuditProblem, AuditQuery, AuditVerification } from './audit-types.js';
import { type Db, toDate, toInt } from './db.js';
import { GENESIS_HASH } from './migrations/004-audit-reconcile.js';

interface AuditRow {
  seq: unknown;
  at: unknown;
  actor: string;
  action: string;
  license_id: string | null;
  version: unknown;
  digest: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    seq: toInt(r.seq),
    at: toDate(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    licenseId: r.license_id,
    version: r.version === null || r.version === undefined ? null : toInt(r.version),
    digest: r.digest,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

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

export async function verifyAudit(db: Db, options: { pageSize?: number } = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  const head = await db.read('verifyAudit', async (k) => {
    const row: { seq: unknown; hash: string } | undefined = await k('audit_head').where({ id: 1 }).first();
    return row ? { seq: toInt(row.seq), hash: row.hash } : undefined;
  });
  const fail = (entries: number, problem: AuditProblem): AuditVerification => ({
    ok: false,
    entries,
    headSeq: head?.seq ?? 0,
    firstBad: problem,
  });
  if (!head) return fail(0, { seq: 1, kind: 'head-mismatch', message: 'the chain head row is missing' });

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const page = await readAudit(db, { afterSeq: expectedSeq - 1, limit: pageSize });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.seq !== expectedSeq) {
        return fail(checked, {
          seq: expectedSeq,
          kind: 'missing',
          message: `entry ${expectedSeq} is missing (the next entry is ${e.seq})`,
        });
      }
      if (e.prevHash !== prevHash) {
        return fail(checked, {
          seq: e.seq,
          kind: 'chain-broken',
          message: `entry ${e.seq} does not follow entry ${e.seq - 1} (prev_hash differs): inserted or reordered`,
        });
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
        return fail(checked, {
          seq: e.seq,
          kind: 'altered',
          message: `entry ${e.seq} was altered or moved: its hash does not match its values`,
        });
      }
      prevHash = e.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
  if (head.seq !== checked || head.hash !== prevHash) {
    const seq = Math.min(head.seq, checked) + 1;
    return fail(checked, {
      seq,
      kind: 'head-mismatch',
      message: `the chain head says ${head.seq} entries, ${checked} follow each other: entries from ${seq} on are missing or the head was changed`,
    });
  }
  return { ok: true, entries: checked, headSeq: head.seq, headHash: head.hash };
}
