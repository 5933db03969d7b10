/**
 * Delivery keys and the rows they name. The key — `<licenseId>:<version>:<target>`, the
 * platform's idempotency key — is the contract's way to name a delivery; the table keys a delivery
 * by `(version_id, target)` (migration 018), an integer and a short name instead of a ~90-byte text
 * in the row and again in its index. A key is resolved through the version it names; one that does
 * not parse, or names no version, names no delivery, as a key with no row did before.
 */
import type { Knex } from 'knex';
import { chunk, type Db, rawRows, toInt } from './db.js';
import { deliveryKey } from './rows.js';

/** A delivery as the table keys it, with the key it was asked for by. */
export interface DeliveryRef {
  key: string;
  versionId: number;
  target: string;
}

/**
 * The parts of a key, or undefined when `key` is not one `deliveryKey` writes: license ids hold
 * dots and never colons, target names hold none (config names are `[a-z][a-z0-9-]*`), versions plain positive integers
 * (`…:01:…` is not version 1's key, so it names nothing, as before).
 */
export function parseDeliveryKey(
  key: string,
): { licenseId: string; version: number; target: string } | undefined {
  const parts = key.split(':');
  if (parts.length !== 3) return undefined;
  const [licenseId, versionText, target] = parts as [string, string, string];
  const version = Number(versionText);
  if (!Number.isSafeInteger(version) || version < 1) return undefined;
  return deliveryKey(licenseId, version, target) === key ? { licenseId, version, target } : undefined;
}

/**
 * The deliveries `keys` name, as `(version_id, target)`, in the order of `keys`. Whether a delivery row exists is left to the statement that uses
 * them. Runs on the reader: versions never change, and a SQLite write transaction must begin with
 * a write (db.ts).
 */
export async function resolveDeliveryKeys(db: Db, keys: readonly string[]): Promise<DeliveryRef[]> {
  // Each distinct key once, in the order given, with the (license, version) pair it names.
  const asked: { key: string; at: string; target: string }[] = [];
  const pairs = new Map<string, { licenseId: string; version: number }>();
  for (const key of new Set(keys)) {
    const parts = parseDeliveryKey(key);
    if (!parts) continue;
    const at = `${parts.licenseId}\u0000${parts.version}`;
    asked.push({ key, at, target: parts.target });
    if (!pairs.has(at)) pairs.set(at, { licenseId: parts.licenseId, version: parts.version });
  }
  if (asked.length === 0) return [];
  const ids = new Map<string, number>();
  for (const v of await versionsNumbered(db, 'resolveDeliveryKeys', [...pairs.values()])) {
    ids.set(`${v.licenseId}\u0000${v.version}`, v.versionId);
  }
  // In the order the keys were given: callers audit in that order. Walked in that order, not sorted
  // after by a lookup of each key's place (a deliver batch's ~500 keys: ~9,000 lookups a batch).
  const out: DeliveryRef[] = [];
  for (const a of asked) {
    const versionId = ids.get(a.at);
    if (versionId !== undefined) out.push({ key: a.key, versionId, target: a.target });
  }
  return out;
}

/** A version named by its license and number, with the id the ledger gave it. */
export interface NumberedVersion {
  licenseId: string;
  version: number;
  versionId: number;
}

/**
 * The versions the ledger holds of the (license, number) pairs, as `op` on the reader. One
 * statement: the pairs travel as one JSON parameter, probed one by one on the versions'
 * (license_id, version) index. A row-value IN of a page's pairs (thousands, in a ledger of
 * incremental runs) took PostgreSQL ~0.25 ms a pair to plan and run.
 */
export async function versionsNumbered(
  db: Db,
  op: string,
  pairs: readonly { licenseId: string; version: number }[],
): Promise<NumberedVersion[]> {
  if (pairs.length === 0) return [];
  const json = JSON.stringify(pairs.map((p) => ({ l: p.licenseId, n: p.version })));
  const res: unknown = await db.read(op, (k) =>
    k.raw(`select v.version_id, v.license_id, v.version from ${pairedVersions(db).from}`, [json]),
  );
  return rawRows<{ version_id: unknown; license_id: string; version: unknown }>(res).map((r) => ({
    licenseId: r.license_id,
    version: toInt(r.version),
    versionId: toInt(r.version_id),
  }));
}

/**
 * The FROM clause of (license, number) pairs passed as one JSON parameter, `j` with members `l`
 * and `n` and the text members named in `more`, each joined to its version `v` on the versions'
 * (license_id, version) index; and how a statement names one of those text members.
 */
export function pairedVersions(
  db: Pick<Db, 'dialect'>,
  more: readonly string[] = [],
): { from: string; member(name: string): string } {
  if (db.dialect === 'postgres')
    return {
      from: `jsonb_to_recordset(?::jsonb) as j(l text, n integer${more.map((m) => `, ${m} text`).join('')})
           join license_versions v on v.license_id = j.l and v.version = j.n`,
      member: (name) => `j.${name}`,
    };
  return {
    from: `json_each(?) as j
           join license_versions v on v.license_id = json_extract(j.value, '$.l')
            and v.version = json_extract(j.value, '$.n')`,
    member: (name) => `json_extract(j.value, '$.${name}')`,
  };
}

/** The refs grouped by target, each group's version ids chunked to fit `room` bind parameters. */
export function refsByTarget(
  refs: readonly DeliveryRef[],
  room: number,
): { target: string; versionIds: number[] }[] {
  // Appended in place: copying a target's list for every ref made a claim of n deliveries copy
  // n²/2 ids (a batch of a thousand, half a million; ~5.6 KB of garbage a license in bench/pipeline.ts).
  const groups = new Map<string, number[]>();
  for (const r of refs) {
    const ids = groups.get(r.target);
    if (ids === undefined) groups.set(r.target, [r.versionId]);
    else ids.push(r.versionId);
  }
  const out: { target: string; versionIds: number[] }[] = [];
  for (const [target, ids] of groups) {
    for (const part of chunk([...new Set(ids)], room)) out.push({ target, versionIds: part });
  }
  return out;
}

/** Where-clause of one target's group: `target = ? and version_id in (…)`. */
export function whereRefs(
  q: Knex.QueryBuilder,
  group: { target: string; versionIds: readonly number[] },
  alias?: string,
): Knex.QueryBuilder {
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  return q.where(col('target'), group.target).whereIn(col('version_id'), [...group.versionIds]);
}

/** Maps a row's `(version_id, target)` back to the key it was asked for by. */
export function keyOfRef(
  refs: readonly DeliveryRef[],
): (versionId: unknown, target: string) => string | undefined {
  const keys = new Map(refs.map((r) => [`${r.versionId}\u0000${r.target}`, r.key]));
  return (versionId, target) => keys.get(`${toInt(versionId)}\u0000${target}`);
}
