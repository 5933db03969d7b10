/**
 * What the deliver stage needs to keep each license's versions in order at a platform, and what a
 * sweep needs to find work lost with the queue: the delivery state of each version's predecessor,
 * and the delivery state of a set of versions at one target.
 */
import type { Knex } from 'knex';
import { chunk, type Db, inLists, parseJson, toInt } from './db.js';
import type { DeliveryPredecessor, DeliveryRowState, VersionDeliveryState } from './ledger.js';
import { deliveryKey } from './rows.js';

/**
 * For each given version: its predecessor and that predecessor's delivery state at `target`
 * (`null` when no delivery row exists there yet). After the first version, the license's version
 * − 1. A first version that continues another license (a renewal, change or transfer-in naming
 * it as `previousIdentifier`) has the version it names, when the ledger holds it: the platform
 * must hold that license before it takes the one continuing it.
 */
export async function deliveryPredecessors(
  db: Db,
  versionIds: readonly number[],
  target: string,
): Promise<DeliveryPredecessor[]> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return [];
  return db.read('deliveryPredecessors', async (k) => {
    const out: DeliveryPredecessor[] = [];
    for (const part of inLists(db, ids, 1)) {
      const rows: {
        version_id: unknown;
        prev_id: unknown;
        license_id: string;
        prev_version: unknown;
        state: string | null;
      }[] = await k('license_versions as v')
        .join('license_versions as p', function () {
          this.on('p.license_id', '=', 'v.license_id').andOn('p.version', '=', k.raw('v.version - 1'));
        })
        .leftJoin('deliveries as d', function () {
          this.on('d.version_id', '=', 'p.version_id').andOn('d.target', '=', k.raw('?', [target]));
        })
        .whereIn('v.version_id', part)
        .select(
          'v.version_id',
          'p.version_id as prev_id',
          'p.license_id',
          'p.version as prev_version',
          'd.state',
        );
      for (const r of rows) {
        out.push({
          versionId: toInt(r.version_id),
          previousVersionId: toInt(r.prev_id),
          previousKey: deliveryKey(r.license_id, toInt(r.prev_version), target),
          previousState: (r.state ?? null) as DeliveryRowState | null,
        });
      }
    }
    out.push(...(await continuedVersions(k, db, ids, target)));
    return out.sort((a, b) => a.versionId - b.versionId);
  });
}

/**
 * The license id and version an identifier names (GB/T 36904: the license id, `.`, the version in 3
 * digits, `.`, a check char), whatever its check char: read as held-in-review.ts `continuedVersion`
 * reads it in SQL, so the deliver stage holds a renewal behind the very review the counts show it
 * waiting on. The catalog refuses a wrong check char on input (catalog/formats.ts), so one here is a
 * row edited by hand or written before; sending its renewal before the license it names is
 * accepted is what the order prevents, and a name matching no version of the ledger holds nothing.
 */
function namedVersion(identifier: string): { licenseId: string; version: number } | undefined {
  const version = identifier.slice(-5, -2);
  if (identifier.length < 7 || !/^\d{3}$/.test(version)) return undefined;
  return { licenseId: identifier.slice(0, -6), version: Number(version) };
}

/**
 * The first versions among `ids` that continue another license, each with the version it names
 * and that version's delivery state at `target`. Only rows whose text holds the field are read
 * (the database tests it): a backfill of issues reads none.
 */
async function continuedVersions(
  k: Knex,
  db: Db,
  ids: readonly number[],
  target: string,
): Promise<DeliveryPredecessor[]> {
  const { maxParams } = db;
  const named = new Map<number, { licenseId: string; version: number }>();
  for (const part of inLists(db, ids, 2)) {
    const rows: { version_id: unknown; license_id: string; payload: string }[] = await k('license_versions')
      .whereIn('version_id', part)
      .andWhere('version', 1)
      .andWhere('payload', 'like', '%"previousIdentifier"%')
      .select('version_id', 'license_id', 'payload');
    for (const r of rows) {
      const previous = parseJson<{ previousIdentifier?: unknown }>(r.payload).previousIdentifier;
      const version = typeof previous === 'string' ? namedVersion(previous) : undefined;
      if (version && version.licenseId !== r.license_id) named.set(toInt(r.version_id), version);
    }
  }
  if (named.size === 0) return [];
  const at = (licenseId: string, version: number): string => `${version}:${licenseId}`;
  const wanted = [...new Map([...named.values()].map((n) => [at(n.licenseId, n.version), n])).values()];
  const found = new Map<string, { versionId: number; state: DeliveryRowState | null }>();
  for (const part of chunk(wanted, Math.floor((maxParams - 1) / 2))) {
    const rows: { version_id: unknown; license_id: string; version: unknown; state: string | null }[] =
      await k('license_versions as p')
        .leftJoin('deliveries as d', function () {
          this.on('d.version_id', '=', 'p.version_id').andOn('d.target', '=', k.raw('?', [target]));
        })
        .whereIn(
          ['p.license_id', 'p.version'],
          part.map((n) => [n.licenseId, n.version]),
        )
        .select('p.version_id', 'p.license_id', 'p.version', 'd.state');
    for (const r of rows)
      found.set(at(r.license_id, toInt(r.version)), {
        versionId: toInt(r.version_id),
        state: (r.state ?? null) as DeliveryRowState | null,
      });
  }
  const out: DeliveryPredecessor[] = [];
  for (const [versionId, n] of named) {
    const p = found.get(at(n.licenseId, n.version));
    if (!p) continue; // a license the ledger does not hold: nothing to wait for here
    out.push({
      versionId,
      previousVersionId: p.versionId,
      previousKey: deliveryKey(n.licenseId, n.version, target),
      previousState: p.state,
    });
  }
  return out;
}

/** The delivery state of each given version at `target`; `null` where no delivery row exists. */
export async function deliveryStates(
  db: Db,
  versionIds: readonly number[],
  target: string,
): Promise<VersionDeliveryState[]> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return [];
  return db.read('deliveryStates', async (k) => {
    const out: VersionDeliveryState[] = [];
    for (const part of chunk(ids, db.maxParams - 1)) {
      const rows: {
        version_id: unknown;
        license_id: string;
        version: unknown;
        pipeline: string;
        run_id: string;
        state: string | null;
      }[] = await k('license_versions as v')
        .leftJoin('deliveries as d', function () {
          this.on('d.version_id', '=', 'v.version_id').andOn('d.target', '=', k.raw('?', [target]));
        })
        .whereIn('v.version_id', part)
        .select('v.version_id', 'v.license_id', 'v.version', 'v.pipeline', 'v.run_id', 'd.state');
      for (const r of rows) {
        out.push({
          versionId: toInt(r.version_id),
          pipeline: r.pipeline,
          runId: r.run_id,
          key: deliveryKey(r.license_id, toInt(r.version), target),
          state: (r.state ?? null) as DeliveryRowState | null,
        });
      }
    }
    return out.sort((a, b) => a.versionId - b.versionId);
  });
}
