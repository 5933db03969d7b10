/**
 * Bucket digests as the ledger folds them from the rows a run reads (each page's fingerprints, in
 * their keys' buckets), and as the source computes them inside the database, in one shape, so a
 * test compares the two.
 */
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { fingerprintPart, keyBucket } from '../../core/reconcile-digest.js';

export interface Digest {
  count: number;
  sum: number;
}

/** The digests the ledger would compute from the rows read, and the keys read, in order. */
export async function digestsFromPages(
  source: SourceConnector,
  stream: StreamSpec,
  buckets: number,
  pageSize: number,
): Promise<{ digests: Map<number, Digest>; keys: string[] }> {
  const digests = new Map<number, Digest>();
  const keys: string[] = [];
  for await (const page of source.read({ stream, after: null, pageSize })) {
    for (const [key, fp] of page.fingerprints ?? []) {
      keys.push(key);
      const b = keyBucket(key, buckets);
      const d = digests.get(b) ?? { count: 0, sum: 0 };
      digests.set(b, { count: d.count + 1, sum: (d.sum + fingerprintPart(fp)) % 2 ** 52 });
    }
  }
  return { digests, keys };
}

/** The source's own digests, computed inside the database, by bucket. */
export async function digestsInDb(
  source: SourceConnector,
  stream: StreamSpec,
  buckets: number,
): Promise<Map<number, Digest>> {
  const inDb = await source.bucketDigests?.(stream, { buckets });
  return new Map((inDb ?? []).map((d) => [d.bucket, { count: d.count, sum: Number(d.sum) }]));
}
