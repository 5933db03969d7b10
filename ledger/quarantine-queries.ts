/**
 * The quarantine worklist's reads. The `quarantine` table holds one record per (run, key) — the
 * history; a key is on the worklist while it has an open record (`resolved_at` null, see
 * migration 010), and its entry sums up the open records: first and last seen, times seen, and
 * the latest record's reasons.
 */
import { chunk, type Db, parseJson, toDate, toDateOrNull, toInt } from './db.js';
import type { QuarantineReason } from './ledger.js';
import { CODE_STORED_TEXT } from './quarantine-merge.js';

/** One source key on the worklist. */
export interface OpenQuarantineEntry {
  pipeline: string;
  sourceKey: string;
  /** Reasons of the key's latest read, then the stored-text reasons (`LB_STORED_TEXT`) of its open records. */
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

/** A record's text that may hold a stored-text reason: as `JSON.stringify` writes its code. */
const MAY_HOLD_STORED_TEXT = `%"code":"${CODE_STORED_TEXT}"%`;

export async function openQuarantine(db: Db, query: { pipeline?: string }): Promise<OpenQuarantineEntry[]> {
  return db.read('openQuarantine', async (k) => {
    const groups: {
      pipeline: string;
      source_key: string;
      first_seen: unknown;
      last_seen: unknown;
      times: unknown;
      last_id: unknown;
      last_read_id: unknown;
    }[] = await k('quarantine')
      .whereNull('resolved_at')
      .modify((q) => {
        if (query.pipeline) q.where({ pipeline: query.pipeline });
      })
      // One entry per key, however many runs' records it holds (`times`): a count of entries is
      // a count of keys, not of records.
      .groupBy('pipeline', 'source_key')
      .select('pipeline', 'source_key')
      .min({ first_seen: 'created_at' })
      .max({ last_seen: 'created_at', last_id: 'id' })
      // The latest record holding a read's reasons only, never a stored version's.
      .select(
        k.raw('max(case when reasons like ? then null else id end) as last_read_id', [MAY_HOLD_STORED_TEXT]),
      )
      .count({ times: '*' })
      .orderBy([{ column: 'pipeline' }, { column: 'source_key' }]);
    // A stored version's reasons (quarantine-merge.ts) are no read's: a record holding them,
    // written or reopened in place by the run a sign or deliver job worked for (an older run's, its
    // id lower), is not superseded by a later read, nor does it supersede one. Few records hold them.
    const stored = new Map<string, { reasons: QuarantineReason[]; readId: number }>();
    const withStored: { id: unknown; pipeline: string; source_key: string; reasons: string }[] = await k(
      'quarantine',
    )
      .whereNull('resolved_at')
      .where('reasons', 'like', MAY_HOLD_STORED_TEXT)
      .modify((q) => {
        if (query.pipeline) q.where({ pipeline: query.pipeline });
      })
      .select('id', 'pipeline', 'source_key', 'reasons')
      .orderBy('id', 'desc');
    for (const r of withStored) {
      const key = `${r.pipeline}\u0000${r.source_key}`;
      const entry = stored.get(key) ?? { reasons: [], readId: 0 };
      const reasons = parseJson<QuarantineReason[]>(r.reasons);
      for (const x of reasons)
        if (x.code === CODE_STORED_TEXT && !entry.reasons.some((y) => y.message === x.message))
          entry.reasons.push(x);
      if (reasons.some((x) => x.code !== CODE_STORED_TEXT))
        entry.readId = Math.max(entry.readId, toInt(r.id));
      stored.set(key, entry);
    }
    const readIdOf = (g: (typeof groups)[number]): number => {
      const read = g.last_read_id === null || g.last_read_id === undefined ? 0 : toInt(g.last_read_id);
      const mixed = stored.get(`${g.pipeline}\u0000${g.source_key}`)?.readId ?? 0;
      return Math.max(read, mixed);
    };
    const latest = new Map<number, { run_id: string; reasons: string }>();
    for (const ids of chunk(
      [...new Set(groups.flatMap((g) => [toInt(g.last_id), readIdOf(g)]).filter((id) => id > 0))],
      db.maxParams,
    )) {
      const rows: { id: unknown; run_id: string; reasons: string }[] = await k('quarantine')
        .select('id', 'run_id', 'reasons')
        .whereIn('id', ids);
      for (const r of rows) latest.set(toInt(r.id), r);
    }
    return groups.map((g) => {
      const last = latest.get(toInt(g.last_id));
      const read = latest.get(readIdOf(g));
      const storedText = stored.get(`${g.pipeline}\u0000${g.source_key}`)?.reasons ?? [];
      return {
        pipeline: g.pipeline,
        sourceKey: g.source_key,
        reasons: [
          ...(read
            ? parseJson<QuarantineReason[]>(read.reasons).filter((x) => x.code !== CODE_STORED_TEXT)
            : []),
          ...storedText,
        ],
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
