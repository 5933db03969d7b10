/**
 * The queries behind `bucketDigests` and `readBuckets` where the dialect computes fingerprints and
 * buckets inside the database: one GROUP BY over the stream for the digests (a few thousand small
 * rows back, whatever the table's size), and key-order pages filtered by bucket for a drill-down.
 */
import type { Knex } from 'knex';
import type { SourceBucketDigest } from '../source.js';
import type { SqlDialect } from './dialect.js';
import { BUCKET_ALIAS, FINGERPRINT_ALIAS } from './fingerprint.js';
import { fromStream, orderColumn, type ResolvedStream, selectRows, withKey } from './keyset.js';

type RawRow = Record<string, unknown>;

/**
 * Only rows with a key: the database would bucket a NULL or blank key by its text, the ledger and
 * a drill-down by the row's stand-in key (row-keys.ts); the connector buckets those rows itself.
 */
function keyedOnly(q: Knex.QueryBuilder, s: ResolvedStream, blank: Knex.Raw | null): void {
  withKey(q, s);
  if (blank) q.whereNot(blank);
}

/**
 * A binary floating-point key (PostgreSQL real and double precision, MySQL FLOAT and DOUBLE, SQL
 * Server float and real, Oracle BINARY_FLOAT and BINARY_DOUBLE). The run keys its row by the
 * shortest JavaScript text of the number (`1e-7`, `100000000000000000000`, a MySQL FLOAT as the
 * single it is), the database prints it its own way (`1e-07`, `1e+20`, six digits of a FLOAT):
 * bucketed there, no bucket agreed with the ledger's and every check read every row again.
 */
const FLOAT_KEY = /^(float|double|real|binary_float|binary_double)\b/i;

/**
 * Whether this stream's digests and drill-downs can run inside the database: where the dialect
 * can, and the key is not a float, whose rows are bucketed here, from the keys a run gives them.
 */
export function bucketsInDb(dialect: SqlDialect, s: ResolvedStream): boolean {
  return Boolean(s.fingerprint && dialect.keyBucket && dialect.fingerprintSum) && !FLOAT_KEY.test(s.key.type);
}

export async function digestsInDb(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  trim: boolean,
  buckets: number,
  blank: Knex.Raw | null,
): Promise<SourceBucketDigest[]> {
  if (!s.fingerprint || !dialect.keyBucket || !dialect.fingerprintSum)
    throw new Error('no in-database buckets');
  const inner = fromStream(db, s).select(
    db.raw('? AS ??', [s.fingerprint, FINGERPRINT_ALIAS]),
    db.raw('? AS ??', [dialect.keyBucket(db, s.key, trim, buckets), BUCKET_ALIAS]),
  );
  keyedOnly(inner, s, blank);
  const rows: RawRow[] = await db
    .from(inner.as('lb_d'))
    .select(BUCKET_ALIAS)
    .count({ n: '*' })
    .select(db.raw('? AS ??', [dialect.fingerprintSum(db, FINGERPRINT_ALIAS), 'lb_s']))
    .groupBy(BUCKET_ALIAS);
  return rows.map((r) => ({ bucket: Number(r[BUCKET_ALIAS]), count: Number(r.n), sum: String(r.lb_s) }));
}

/**
 * A page of the rows in `wanted` buckets after `afterKey`, in key order, each with its bucket.
 * `tie`: instead, every such row whose key equals `afterKey` (tied-rows.ts), unlimited.
 */
export function drillPage(
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream,
  trim: boolean,
  buckets: number,
  wanted: readonly number[],
  afterKey: string | null,
  limit: number,
  blank: Knex.Raw | null,
  tie = false,
): Knex.QueryBuilder {
  if (!dialect.keyBucket) throw new Error('no in-database buckets');
  const bucket = dialect.keyBucket(db, s.key, trim, buckets);
  const q = selectRows(db, dialect, s)
    .select(db.raw('? AS ??', [bucket, BUCKET_ALIAS]))
    .whereRaw(`? IN (${wanted.map(() => '?').join(', ')})`, [bucket, ...wanted]);
  keyedOnly(q, s, blank);
  if (afterKey !== null)
    q.where(s.key.name, tie ? '=' : '>', dialect.bind(db, afterKey, s.key) as Knex.Value);
  return tie ? q : q.orderBy(orderColumn(db, dialect, s, s.key), 'asc').limit(limit);
}
