/**
 * What the SQL source reads for reconciliation — the key set, bucket digests, the rows of chosen
 * buckets. Each names a keyless row (keyless-rows.ts) by the stand-in key `read` gives it, so the
 * light check and the bucket comparison find it quarantined, never missed and never a phantom
 * "null". Where the database cannot fingerprint rows, a key-order scan (key-order-scan.ts) reads them.
 */
import { FINGERPRINT_MOD, fingerprintPart, keyBucket } from '../../core/reconcile-digest.js';
import type { BucketRows, SourceBucketDigest, SourceValue } from '../source.js';
import { bucketsInDb, digestsInDb, drillPage } from './buckets.js';
import { BUCKET_ALIAS, rowFingerprint } from './fingerprint.js';
import { keyKnownUnique, keysReadNow, storedKeyOf } from './key-cursors.js';
import { boundedTie, newestOfRepeated, scan, withTies } from './key-order-scan.js';
import { allKeyless, IN_LIST_PART } from './keyless-rows.js';
import { aheadOfClockKeys, blankKey, KEY_TEXT_ALIAS, keyChunk, type ResolvedStream } from './keyset.js';
import { CODE_KEY_DUPLICATE } from './repeated-keys.js';
import type { RawRow, SqlReader } from './sql-reader.js';
import { tiedKeys, withWholeTie } from './tied-rows.js';
import { missingKey, normaliseValue, rowKeyText } from './values.js';

/**
 * Whether digests and drill-downs bucket rows inside the database: where the dialect can, and
 * the key is not one the repair rewrites (the database would bucket its stored text, a run's
 * ledger the repaired key, and no bucket would ever agree).
 */
function inDb(reader: SqlReader, s: ResolvedStream): boolean {
  return bucketsInDb(reader.dialect, s) && !reader.rewrites(s.key.name);
}

/** The key set in key order, in chunks, then the stand-ins of the rows without a key. */
export async function* keySet(
  reader: SqlReader,
  s: ResolvedStream,
  chunkSize: number,
  signal?: AbortSignal,
): AsyncIterable<string[]> {
  let after: string | null = null;
  // Stored keys that read as empty: their rows are quarantined under stand-ins, listed at the end.
  const blank: string[] = [];
  for (;;) {
    signal?.throwIfAborted();
    const from = after;
    const chunk = await reader.read<RawRow[]>((db) => keyChunk(db, reader.dialect, s, from, chunkSize));
    if (chunk.length === 0) break;
    const last = chunk[chunk.length - 1] as RawRow;
    after = storedKeyOf(reader.dialect, s, last);
    // A full chunk of a key that is not unique takes in every key level with its last one
    // (tied-rows.ts): `key > 'K1'` skips a `'K1 '` under a PAD SPACE collation. Rows are matched
    // with a date/time key's text too: its Date keeps milliseconds, and a key a microsecond before
    // the tie's was taken for one of its rows and left out of the key set.
    const at = after;
    const matched = s.keyText ? [s.key.name, KEY_TEXT_ALIAS] : [s.key.name];
    const rows =
      chunk.length < chunkSize || s.key.primaryKey || s.key.unique
        ? chunk
        : withWholeTie(chunk, await boundedTie(reader, s, (db) => tiedKeys(db, reader.dialect, s, at)), (r) =>
            rowFingerprint('', r, matched),
          );
    const keys: string[] = [];
    for (const r of rows) {
      const key = keyOfRow(reader, s, r);
      if (key === null) blank.push(storedKeyOf(reader.dialect, s, r));
      else keys.push(key);
    }
    if (keys.length > 0) yield keys;
    if (chunk.length < chunkSize) break;
  }
  // The same keys `read` gives rows without a key: the light check finds them quarantined.
  const keyless = await allKeyless(reader, s, { blank });
  if (keyless.length > 0) yield reader.toRows(s, keyless).rows.map((r) => r.key);
}

/** A key-set row's key as a run keys its row; null for a key that reads as empty (a stand-in's). */
function keyOfRow(reader: SqlReader, s: ResolvedStream, r: RawRow): string | null {
  const normalise = reader.dialect.normalise;
  let value = r[s.key.name];
  if (normalise && value !== null && value !== undefined) value = normalise(value, s.key.type || undefined);
  // Repaired as a run repairs it: a run keys a charset-repaired row by the repaired text.
  const one: Record<string, SourceValue> = { [s.key.name]: normaliseValue(value, reader.trims(s.key.name)) };
  reader.repair(one);
  const key = one[s.key.name] ?? null;
  if (missingKey(key)) return null;
  // A date/time key by its text at the database's precision, as a run keys it (row-keys.ts).
  const text = r[KEY_TEXT_ALIAS];
  return typeof text === 'string' ? text : rowKeyText(key);
}

/**
 * The keys of the rows a read leaves for their time, their cursor ahead of the database's clock
 * (keyset.ts `aheadOfClockKeys`), as `keySet` gives them; none where no clock bounds the stream.
 * A key also held on a row a read takes now is not among them: a run reads it from that row
 * (key-cursors.ts `newestOfRepeatedKeys`), and a license missing for it is `missed`, which a
 * repair's re-read issues. Counted as waiting, a row committed behind the checkpoint was never
 * named while a 9999-12-31 row of its key stood beside it.
 */
export async function keysAheadOfClock(reader: SqlReader, s: ResolvedStream): Promise<string[]> {
  const rows = await reader.read<RawRow[] | null>(async (db) => {
    const q = aheadOfClockKeys(db, reader.dialect, s);
    if (!q) return null;
    const ahead = (await q) as RawRow[];
    if (ahead.length === 0 || keyKnownUnique(s)) return ahead;
    const readNow = await keysReadNow(db, reader.dialect, s, [
      ...new Set(ahead.map((r) => storedKeyOf(reader.dialect, s, r))),
    ]);
    return ahead.filter((r) => !readNow.has(storedKeyOf(reader.dialect, s, r)));
  });
  return (rows ?? []).flatMap((r) => keyOfRow(reader, s, r) ?? []);
}

export async function bucketDigests(
  reader: SqlReader,
  s: ResolvedStream,
  options: { buckets: number; signal?: AbortSignal },
): Promise<SourceBucketDigest[]> {
  const { dialect } = reader;
  const trim = reader.trims(s.key.name);
  const count = new Map<number, number>();
  const sum = new Map<number, number>();
  const fold = (key: string, fp: string) => {
    const b = keyBucket(key, options.buckets);
    count.set(b, (count.get(b) ?? 0) + 1);
    sum.set(b, ((sum.get(b) ?? 0) + fingerprintPart(fp)) % FINGERPRINT_MOD);
  };
  if (inDb(reader, s)) {
    // Rows without a key are bucketed here by their stand-in keys, as the ledger and a
    // drill-down know them; the database buckets the rest.
    const blank = blankKey(reader.db, s, trim);
    const inDb = await reader.read((db) => digestsInDb(db, dialect, s, trim, options.buckets, blank));
    const keyless = reader.toRows(s, await allKeyless(reader, s, { blankSql: blank }));
    if (keyless.rows.length === 0) return inDb;
    for (const d of inDb) {
      count.set(d.bucket, d.count);
      sum.set(d.bucket, Number(BigInt(d.sum) % BigInt(FINGERPRINT_MOD)));
    }
    for (const [key, fp] of keyless.fingerprints) fold(key, fp);
  } else {
    // No in-database fingerprint: one key-order pass, folded here; no row outlives its page.
    for await (const page of scan(reader, s, options.signal)) {
      for (const [key, fp] of page.fingerprints) fold(key, fp);
      // A key on several current rows that differ holds one fingerprint above, its last row's: with
      // the row the license was read from last, the bucket agreed with the ledger, while a run
      // quarantines the key (its license is `unmappable`). Each such row counts, as a database
      // counts every row: the bucket differs and is read in detail. The key's one fingerprint
      // counted it once already: each of its other rows adds one (not each of them, one too many).
      const counted = new Set<string>();
      for (const r of page.rows) {
        if (!r.problems?.some((p) => p.code === CODE_KEY_DUPLICATE)) continue;
        if (!counted.has(r.key) && page.fingerprints.has(r.key)) {
          counted.add(r.key);
          continue;
        }
        const b = keyBucket(r.key, options.buckets);
        count.set(b, (count.get(b) ?? 0) + 1);
      }
    }
  }
  return [...count].map(([bucket, n]) => ({ bucket, count: n, sum: String(sum.get(bucket) ?? 0) }));
}

export async function* bucketRows(
  reader: SqlReader,
  s: ResolvedStream,
  options: { buckets: number; wanted: readonly number[]; pageSize: number; signal?: AbortSignal },
): AsyncIterable<BucketRows> {
  const { dialect, db } = reader;
  const { buckets, pageSize } = options;
  const trim = reader.trims(s.key.name);
  if (!inDb(reader, s)) {
    const wanted = new Set(options.wanted);
    for await (const page of scan(reader, s, options.signal)) {
      const hit = page.rows.filter((r) => wanted.has(keyBucket(r.key, buckets)));
      if (hit.length > 0) yield { rows: hit };
    }
    return;
  }
  const wanted = [...new Set(options.wanted)];
  const blank = blankKey(db, s, trim);
  for (let i = 0; i < wanted.length; i += IN_LIST_PART) {
    const part = wanted.slice(i, i + IN_LIST_PART);
    let after: string | null = null;
    for (;;) {
      options.signal?.throwIfAborted();
      const from = after;
      const page = await reader.read<RawRow[]>((trx) =>
        drillPage(trx, dialect, s, trim, buckets, part, from, pageSize, blank),
      );
      if (page.length === 0) break;
      const raw = await withTies(reader, s, page, pageSize, (trx, key) =>
        drillPage(trx, dialect, s, trim, buckets, part, key, pageSize, blank, true),
      );
      const settled = reader.toRows(s, raw, await newestOfRepeated(reader, s, raw));
      // Rows left out for a newer row of their key have no place beside the rows handed on.
      const kept = raw.filter((_, j) => !settled.superseded.has(j));
      yield { rows: settled.rows, buckets: kept.map((r) => Number(r[BUCKET_ALIAS])) };
      after = storedKeyOf(reader.dialect, s, raw[raw.length - 1] as RawRow);
      if (page.length < pageSize) break;
    }
  }
  // Rows without a key, by the bucket of their stand-in key (left out of the queries above).
  const inWanted = new Set(wanted);
  const keyless = reader.toRows(s, await allKeyless(reader, s, { blankSql: blank }));
  const hit = keyless.rows.filter((r) => inWanted.has(keyBucket(r.key, buckets)));
  if (hit.length > 0) yield { rows: hit };
}
