/**
 * The sequence number the audit chain's head (table `audit_head`) names as the chain's last entry.
 * An export reads it to tell the chain's end from its last entries deleted (pipelines/
 * audit-export-write.ts): the rows alone cannot, while the head still names the entry deleted.
 */
import type { Db } from './db.js';

/** The head's `seq`; `undefined` when the head row is missing or holds no sequence number. */
export async function auditHeadSeq(db: Db): Promise<number | undefined> {
  return db.read('auditHeadSeq', async (k) => {
    const row: { seq: unknown } | undefined = await k('audit_head').select('seq').where({ id: 1 }).first();
    const seq = typeof row?.seq === 'string' || typeof row?.seq === 'number' ? Number(row.seq) : Number.NaN;
    // What no writer writes (SQLite keeps any value) is `audit verify`'s to name (head-mismatch).
    return Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
  });
}
