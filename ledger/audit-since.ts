/**
 * The walk of the entries appended after a seq that the unrecorded checks make
 * (audit-versions.ts, audit-deliveries.ts): the whole chain for another window of ids (from 0), or
 * the entries appended since the head before any row is named.
 */
import { type AuditRow, toEntry } from './audit-row.js';
import type { AuditEntry } from './audit-types.js';
import { type Db, toInt } from './db.js';

/** What a walk notes its entries in: each entry, then what the page's entries left to read. */
export interface EntryTally {
  note(e: AuditEntry): void;
  settle(db: Db): Promise<void>;
}

/**
 * Notes the entries after `seq` in `tally`, a page at a time, each page settled before the next;
 * returns the last seq read. `op` names the read (db.ts `read`); `onPage` is told the entries read
 * so far after each page.
 */
export async function noteEntriesSince(
  db: Db,
  op: string,
  tally: EntryTally,
  seq: number,
  pageSize: number,
  onPage?: (walked: number) => void,
): Promise<number> {
  let last = seq;
  let walked = 0;
  for (;;) {
    const rows: AuditRow[] = await db.read(op, (k) =>
      k('audit_log').select('*').where('seq', '>', last).orderBy('seq').limit(pageSize),
    );
    if (rows.length === 0) return last;
    for (const e of rows.map(toEntry)) tally.note(e);
    await tally.settle(db);
    last = toInt((rows.at(-1) as AuditRow).seq);
    walked += rows.length;
    onPage?.(walked);
  }
}
