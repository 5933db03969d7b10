/**
 * The quarantine worklist's reads. The `quarantine` table holds one record per (run, key) — the
 * history; a key is on the worklist while it has an open record (`resolved_at` null, see
 * migration 010), and its entry sums up the open records: first and last seen, times seen, and
 * the latest record's reasons.
 */
import { chunk, type Db, parseJson, toDate, toDateOrNull, toInt } from './db.js';
import type { QuarantineReason } from './ledger.js';

/** One source key on the worklist. */
export interface OpenQuarantineEntry {
  pipeline: string;
  sourceKey: string;
  /** Reasons of the latest record. */
  reasons: QuarantineReason[];
  firstSeen: Date;
  lastSeen: Date;
  /** Open records of the key: the runs that quarantined it since it last mapped cleanly. */
  timesSeen: number;
  lastRunId: string;
}

/** One record of a key's history, newest first. */
export interface QuarantineRecord {
  pipeline: string;
  sourceKey: string;
  runId: string;
  reasons: QuarantineReason[];
  createdAt: Date;
  resolvedAt: Date | null;
}

export async function openQuarantine(db: Db, query: { pipeline?: string }): Promise<OpenQuarantineEntry[]> {
  return db.read('openQuarantine', async (k) => {
    const groups: {
      pipeline: string;
      source_key: string;
      first_seen: unknown;
      last_seen: unknown;
      times: unknown;
      last_id: unknown;
    }[] = await k('quarantine')
      .whereNull('resolved_at')
      .modify((q) => {
        if (query.pipeline) q.where({ pipeline: query.pipeline });
      })
      .groupBy('pipeline', 'source_key')
      .select('pipeline', 'source_key')
      .min({ first_seen: 'created_at' })
      .max({ last_seen: 'created_at', last_id: 'id' })
      .count({ times: '*' })
      .orderBy([{ column: 'pipeline' }, { column: 'source_key' }]);
    const latest = new Map<number, { run_id: string; reasons: string }>();
    for (const ids of chunk(
      groups.map((g) => toInt(g.last_id)),
      db.maxParams,
    )) {
      const rows: { id: unknown; run_id: string; reasons: string }[] = await k('quarantine')
        .select('id', 'run_id', 'reasons')
        .whereIn('id', ids);
      for (const r of rows) latest.set(toInt(r.id), r);
    }
    return groups.map((g) => {
      const last = latest.get(toInt(g.last_id));
      return {
        pipeline: g.pipeline,
        sourceKey: g.source_key,
        reasons: last ? parseJson<QuarantineReason[]>(last.reasons) : [],
        firstSeen: toDate(g.first_seen),
        lastSeen: toDate(g.last_seen),
        timesSeen: toInt(g.times),
        lastRunId: last?.run_id ?? '',
      };
    });
  });
}

/** Every quarantine record of a source key (of one pipeline, or of any), newest first. */
export async function quarantineHistory(
  db: Db,
  query: { sourceKey: string; pipeline?: string },
): Promise<QuarantineRecord[]> {
  return db.read('quarantineHistory', async (k) => {
    const rows: {
      pipeline: string;
      source_key: string;
      run_id: string;
      reasons: string;
      created_at: unknown;
      resolved_at: unknown;
    }[] = await k('quarantine')
      .where({ source_key: query.sourceKey })
      .modify((q) => {
        if (query.pipeline) q.where({ pipeline: query.pipeline });
      })
      .select('pipeline', 'source_key', 'run_id', 'reasons', 'created_at', 'resolved_at')
      .orderBy('id', 'desc');
    return rows.map((r) => ({
      pipeline: r.pipeline,
      sourceKey: r.source_key,
      runId: r.run_id,
      reasons: parseJson<QuarantineReason[]>(r.reasons),
      createdAt: toDate(r.created_at),
      resolvedAt: toDateOrNull(r.resolved_at),
    }));
  });
}
