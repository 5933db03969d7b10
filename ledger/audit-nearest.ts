/**
 * The entry nearest a version no entry records: the one recording the closest version id to it
 * (the lower one on a tie), so the operator reading `audit verify` knows where in the chain the
 * version's act would stand. Read only once verify has failed, for the few versions it shows: one
 * more walk of the chain, its version entries' details alone.
 */
import { versionRangeParts } from './audit-batch.js';
import { type AuditRow, toEntry } from './audit-row.js';
import type { Db } from './db.js';

/**
 * For each of `ids`, the seq of the entry recording the version id closest to it; absent when none
 * records any. `onPage` is told the entries walked so far after each page (a command's progress).
 */
export async function nearestEntries(
  db: Db,
  ids: readonly number[],
  versionActions: ReadonlySet<string>,
  pageSize: number,
  onPage?: (walked: number) => void,
): Promise<Map<number, number>> {
  const best = new Map<number, { seq: number; distance: number }>();
  const consider = (seq: number, from: number, to: number): void => {
    for (const id of ids) {
      const distance = id < from ? from - id : id > to ? id - to : 0;
      // The first entry at the least distance is kept.
      const held = best.get(id);
      if (held === undefined || distance < held.distance) best.set(id, { seq, distance });
    }
  };
  let after = 0;
  let walked = 0;
  for (;;) {
    const rows: AuditRow[] = await db.read('verifyAuditNearest', (k) =>
      k('audit_log').select('*').where('seq', '>', after).orderBy('seq').limit(pageSize),
    );
    if (rows.length === 0) break;
    for (const e of rows.map(toEntry)) {
      after = e.seq;
      if (!versionActions.has(e.action) || e.digest === null || e.malformed !== undefined) continue;
      let detail: { versions?: unknown; versionId?: unknown };
      try {
        detail = JSON.parse(e.detail) as typeof detail;
      } catch {
        continue;
      }
      if (e.licenseId === null && typeof detail.versions === 'string') {
        try {
          for (const [from, to] of versionRangeParts(detail.versions)) consider(e.seq, from, to);
        } catch {
          // A list in no form licbridge writes names nothing here.
        }
      } else if (typeof detail.versionId === 'number' && Number.isSafeInteger(detail.versionId)) {
        consider(e.seq, detail.versionId, detail.versionId);
      }
    }
    walked += rows.length;
    onPage?.(walked);
  }
  return new Map([...best].map(([id, b]) => [id, b.seq]));
}
