/**
 * Re-deliveries a platform answered as a duplicate (migration 034). A repair re-delivers a license
 * the platform shows in an older version under the latest version's key; a platform that accepted
 * that key once answers it as a duplicate and changes nothing. The repair that finds so holds the
 * delivery back (`duplicate_repair`): later repairs report it without reopening it
 * (reconcile-repairs.ts), as the same key can never change what that platform shows, until a
 * person releases it (`reconcile --repair --yes --resend-duplicates`). Until then `status` names
 * them per pipeline and target (`held`), and the art. 10 clock counts their versions as still owed
 * (deadlines.ts): the platform shows an older version.
 */
import { type AuditInput, appendAudit } from './audit-chain.js';
import { type Db, toDate, toInt } from './db.js';
import { keyOfRef, refsByTarget, resolveDeliveryKeys } from './delivery-keys.js';
import { whereRefsByKey } from './leases.js';

export interface DeliveryDuplicate {
  key: string;
  /** When the platform first answered a send as a duplicate since the delivery was last reopened. */
  answeredAt: Date | null;
  /** The repair run that found it not repaired and holds it back; null when not held. */
  heldBy: string | null;
}

/** Held deliveries of one pipeline to one target: how many, and the oldest duplicate answer. */
export interface HeldDuplicates {
  pipeline: string;
  target: string;
  count: number;
  /** The earliest first duplicate answer among them (null when none was stored: held by hand). */
  oldest: Date | null;
}

export interface RepairDuplicates {
  /** Of `keys`, the deliveries answered as a duplicate or held back, in the order of `keys`. */
  find(keys: readonly string[]): Promise<DeliveryDuplicate[]>;
  /**
   * Holds back deliveries a repair found answered as duplicates while the platform shows an older
   * version, each audited as `repair`; one not answered as a duplicate is left as it is. Returns
   * how many were held.
   */
  hold(keys: readonly string[], runId: string, actor: string): Promise<number>;
  /** Lets held deliveries go, so that a repair reopens them again; audited as `repair`. Returns how many. */
  release(keys: readonly string[], actor: string, reason: string): Promise<number>;
  /** Every delivery held back, per pipeline and target, oldest answer first. */
  held(): Promise<HeldDuplicates[]>;
}

export function repairDuplicates(db: Db): RepairDuplicates {
  return {
    find: (keys) => findDuplicates(db, keys),
    hold: (keys, runId, actor) => holdDuplicates(db, keys, runId, actor),
    release: (keys, actor, reason) => releaseDuplicates(db, keys, actor, reason),
    held: () => heldDuplicates(db),
  };
}

async function heldDuplicates(db: Db): Promise<HeldDuplicates[]> {
  return db.read('heldDuplicates', async (k) => {
    const rows = (await k('deliveries as d')
      .join('license_versions as v', 'v.version_id', 'd.version_id')
      .whereNotNull('d.duplicate_repair')
      .groupBy('v.pipeline', 'd.target')
      .select('v.pipeline as pipeline', 'd.target as target')
      .count({ n: '*' })
      .min({ oldest: 'd.duplicate_at' })
      .orderBy('v.pipeline')
      .orderBy('d.target')) as unknown as { pipeline: string; target: string; n: unknown; oldest: unknown }[];
    return rows.map((r) => ({
      pipeline: r.pipeline,
      target: r.target,
      count: toInt(r.n),
      oldest: r.oldest == null ? null : toDate(r.oldest),
    }));
  });
}

async function findDuplicates(db: Db, keys: readonly string[]): Promise<DeliveryDuplicate[]> {
  const refs = await resolveDeliveryKeys(db, keys);
  if (refs.length === 0) return [];
  const keyOf = keyOfRef(refs);
  const found = await db.read('findDuplicates', async (k) => {
    const out = new Map<string, DeliveryDuplicate>();
    for (const group of refsByTarget(refs, db.maxParams - 1)) {
      const rows: {
        version_id: unknown;
        target: string;
        duplicate_at: unknown;
        duplicate_repair: string | null;
      }[] = await whereRefsByKey(db, k('deliveries'), group, 'deliveries')
        .where((q) => q.whereNotNull('duplicate_at').orWhereNotNull('duplicate_repair'))
        .select('version_id', 'target', 'duplicate_at', 'duplicate_repair');
      for (const r of rows) {
        const key = keyOf(r.version_id, r.target);
        if (key === undefined) continue;
        const answeredAt = r.duplicate_at === null ? null : toDate(r.duplicate_at);
        out.set(key, { key, answeredAt, heldBy: r.duplicate_repair });
      }
    }
    return out;
  });
  return refs.flatMap((r) => found.get(r.key) ?? []);
}

async function holdDuplicates(
  db: Db,
  keys: readonly string[],
  runId: string,
  actor: string,
): Promise<number> {
  const refs = await resolveDeliveryKeys(db, keys);
  if (refs.length === 0) return 0;
  return db.write('holdDuplicates', async (trx) => {
    const audit: AuditInput[] = [];
    for (const { key, versionId, target } of refs) {
      const n = await trx('deliveries')
        .where({ version_id: versionId, target })
        .whereNotNull('duplicate_at')
        .update({ duplicate_repair: runId });
      if (toInt(n) === 0) continue;
      audit.push(entry(key, actor, { runId, held: 'answered as a duplicate: not sent again' }));
    }
    await appendAudit(db, trx, audit);
    return audit.length;
  });
}

async function releaseDuplicates(
  db: Db,
  keys: readonly string[],
  actor: string,
  reason: string,
): Promise<number> {
  const refs = await resolveDeliveryKeys(db, keys);
  if (refs.length === 0) return 0;
  return db.write('releaseDuplicates', async (trx) => {
    // SQLite: take the write lock before reading (db.ts).
    if (db.dialect === 'sqlite') await trx('audit_head').where({ id: 1 }).update({ id: 1 });
    const audit: AuditInput[] = [];
    for (const { key, versionId, target } of refs) {
      const row: { duplicate_repair: string | null } | undefined = await trx('deliveries')
        .select('duplicate_repair')
        .where({ version_id: versionId, target })
        .first();
      if (!row?.duplicate_repair) continue;
      await trx('deliveries').where({ version_id: versionId, target }).update({ duplicate_repair: null });
      audit.push(entry(key, actor, { reason, released: row.duplicate_repair }));
    }
    await appendAudit(db, trx, audit);
    return audit.length;
  });
}

/** A `repair` entry naming the delivery; its key is `<licenseId>:<version>:<target>` (rows.ts). */
function entry(key: string, actor: string, detail: Record<string, string>): AuditInput {
  const [licenseId, version] = key.split(':');
  return {
    action: 'repair',
    actor,
    licenseId: licenseId ?? null,
    version: Number(version),
    detail: { deliveryKey: key, ...detail },
  };
}
