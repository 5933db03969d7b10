/**
 * The page-at-a-time comparison of a source without bucket digests (paged-classify.ts) finds what
 * the comparison of the licenses held whole (classify.ts) finds, in the same order: changed, missed,
 * deleted, unmappable, a key on two rows, a key the ledger reads back in another form (a lone
 * surrogate), an ended license and one no row stands behind, whatever the page size.
 */
import { describe, expect, it } from 'vitest';
import { keyBucket, pairFingerprint } from '../../core/reconcile-digest.js';
import type { LedgerLicense } from '../../ledger/audit-types.js';
import { classifySourceSide } from '../../pipelines/reconcile/classify.js';
import { classifyByPages } from '../../pipelines/reconcile/paged-classify.js';
import { emptyFold } from '../../pipelines/reconcile/source-side.js';

const BUCKETS = 16;
const idFor = (k: string) => `id:${k}`;

function license(key: string, hash: string, more: Partial<LedgerLicense> = {}): LedgerLicense {
  return {
    licenseId: idFor(key),
    sourceKey: key,
    version: 1,
    versionId: 1,
    contentHash: hash,
    status: 'valid',
    ...more,
  };
}

async function* pagesOf(ls: readonly LedgerLicense[], size: number) {
  for (let i = 0; i < ls.length; i += size) yield ls.slice(i, i + size);
}

describe('differences compared a page at a time', () => {
  it('are those of the licenses compared whole', async () => {
    const fold = emptyFold();
    const add = (key: string, hash: string) => {
      fold.keys.push(key);
      fold.fingerprints.push(pairFingerprint(key, hash));
      fold.buckets.push(keyBucket(key, BUCKETS));
      fold.statuses.push('valid');
    };
    const ledger: LedgerLicense[] = [];
    for (let i = 0; i < 60; i++) {
      const key = `K${i}`;
      if (i % 7 === 0) add(key, `changed-${i}`);
      else if (i % 11 !== 0) add(key, `h${i}`);
      if (i % 13 !== 0) ledger.push(license(key, `h${i}`));
    }
    add('K5', 'h5'); // a key on two rows
    add('K6', 'other'); // a key on two rows, the second differing
    const lone = 'L\ud800X';
    add(lone, 'hl');
    ledger.push(license('L\ufffdX', 'hl'));
    fold.unmappable.add('K22');
    ledger.push(license('K61', 'h61', { status: 'revoked' }));
    ledger.push(license('K62', 'h62', { sourceless: true }));
    ledger.push(license('K63', 'h63', { version: 999 }));
    add('K63', 'h63-new');
    ledger.sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1));
    for (const differing of [new Set(Array.from({ length: BUCKETS }, (_, b) => b)), new Set([0, 3, 5, 9])]) {
      const inDiffering = ledger.filter((l) => differing.has(keyBucket(l.sourceKey, BUCKETS)));
      const whole = classifySourceSide(fold, differing, inDiffering, idFor);
      expect(whole.length).toBeGreaterThan(1);
      if (differing.size === BUCKETS)
        expect(new Set(whole.map((d) => d.kind))).toEqual(
          new Set(['missed', 'content-mismatch', 'deleted-at-source', 'unmappable']),
        );
      for (const size of [1, 4, 500]) {
        const paged = await classifyByPages(
          fold,
          differing,
          pagesOf(ledger, size),
          (l) => differing.has(keyBucket(l.sourceKey, BUCKETS)),
          idFor,
        );
        expect(paged).toEqual(whole);
      }
    }
  });
});
