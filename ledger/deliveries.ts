/**
 * Deliveries: one row per (license, version, target), keyed so that a platform sees the same
 * idempotency key however often a job is replayed. An `accepted` row is final: late or replayed
 * outcomes never move it back.
 */
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { type AuditInput, appendAudit } from './audit-chain.js';
import { chunk, type Db, nowIso, rowChunks, toInt, truncate } from './db.js';
import type { DeliveryRowState, StoredDelivery } from './ledger.js';
import { type DeliveryRow, deliveryKey, toDelivery } from './rows.js';

export interface DeliveryOutcome {
  key: string;
  state: DeliveryRowState;
  platformId?: string;
  reasons?: string[];
  receipt?: Record<string, unknown>;
}

export async function ensureDeliveries(
  db: Db,
  versionIds: readonly number[],
  target: string,
): Promise<StoredDelivery[]> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return [];
  // Versions never change once written, so they are read before the write transaction: on SQLite
  // that transaction must begin with a write (see db.ts).
  const versions = await db.read('ensureDeliveries', async (k) => {
    const out: { version_id: unknown; license_id: string; version: unknown }[] = [];
    for (const part of chunk(ids, db.maxParams)) {
      out.push(
        ...(await k('license_versions')
          .select('version_id', 'license_id', 'version')
          .whereIn('version_id', part)),
      );
    }
    return out;
  });
  if (versions.length !== ids.length) {
    throw new LicbridgeError(
      ErrorCodes.LEDGER,
      `ledger: ensureDeliveries failed: ${ids.length - versions.length} of ${ids.length} version ids are not in the ledger`,
      { context: { target } },
    );
  }
  const now = nowIso();
  const rows = versions.map((v) => ({
    delivery_key: deliveryKey(v.license_id, toInt(v.version), target),
    license_id: v.license_id,
    version: toInt(v.version),
    version_id: toInt(v.version_id),
    target,
    state: 'pending',
    attempts: 0,
    reasons: '[]',
    created_at: now,
    updated_at: now,
  }));
  await db.write('ensureDeliveries', async (trx) => {
    for (const part of rowChunks(db, rows, 10)) {
      await trx('deliveries').insert(part).onConflict('delivery_key').ignore();
    }
  });
  return getDeliveries(
    db,
    rows.map((r) => r.delivery_key),
  );
}

export async function getDeliveries(db: Db, keys: readonly string[]): Promise<StoredDelivery[]> {
  return db.read('getDeliveries', async (k) => {
    const out: StoredDelivery[] = [];
    for (const part of chunk([...new Set(keys)], db.maxParams)) {
      const rows: DeliveryRow[] = await k('deliveries').select('*').whereIn('delivery_key', part);
      out.push(...rows.map(toDelivery));
    }
    return out.sort((a, b) => a.versionId - b.versionId || a.target.localeCompare(b.target));
  });
}

export async function recordDeliveryOutcomes(db: Db, outcomes: readonly DeliveryOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const now = nowIso();
  await db.write('recordDeliveryOutcomes', async (trx) => {
    const audit: AuditInput[] = [];
    for (const o of outcomes) {
      const update: Record<string, unknown> = {
        state: o.state,
        reasons: JSON.stringify(o.reasons ?? []),
        attempts: trx.raw('attempts + 1'),
        updated_at: now,
      };
      // A platform id or receipt once received is kept when a later outcome carries none.
      if (o.platformId !== undefined) update.platform_id = o.platformId;
      if (o.receipt !== undefined) update.receipt = JSON.stringify(o.receipt);
      const changed = await trx('deliveries')
        .where({ delivery_key: o.key })
        .whereNot({ state: 'accepted' })
        .update(update);
      if (toInt(changed) > 0) audit.push(deliveryAudit(o));
    }
    await appendAudit(db, trx, audit);
  });
}

export async function recordDeliveryAttempt(db: Db, keys: readonly string[], error: string): Promise<void> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return;
  // The caller's message is stored capped; it must be the adapter's error text, never a payload.
  const lastError = truncate(error);
  const now = nowIso();
  await db.write('recordDeliveryAttempt', async (trx) => {
    for (const part of chunk(unique, db.maxParams - 2)) {
      await trx('deliveries')
        .whereIn('delivery_key', part)
        .whereNot({ state: 'accepted' })
        .update({ attempts: trx.raw('attempts + 1'), last_error: lastError, updated_at: now });
    }
  });
}

/** The audit entry of one recorded outcome: `deliver` (with the state) or `dead-letter`. */
function deliveryAudit(o: DeliveryOutcome): AuditInput {
  // The key is `<licenseId>:<version>:<target>` (rows.ts); license ids hold dots, never colons.
  const [licenseId, version, target] = o.key.split(':');
  const v = Number(version);
  return {
    action: o.state === 'dead' ? 'dead-letter' : 'deliver',
    actor: `target:${target ?? 'unknown'}`,
    licenseId: licenseId ?? null,
    version: Number.isSafeInteger(v) ? v : null,
    detail: { deliveryKey: o.key, state: o.state, platformId: o.platformId ?? null },
  };
}
