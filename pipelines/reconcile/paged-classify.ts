/**
 * Source ⇄ ledger for a source without bucket digests (an XML export folder): the licenses of the
 * differing buckets compared with the mapped rows a page of the ledger at a time, as classify.ts
 * compares them held whole. Held whole, a check where a few thousand changes made every bucket differ
 * (4,096 by default) kept every license of the pipeline at once, agreeing or not: a page is held now,
 * plus the differences.
 */

import { pairFingerprint } from '../../core/reconcile-digest.js';
import type { LedgerLicense } from '../../ledger/audit-types.js';
import { awaitsDeletion, awaitsTick, changedKind, ledgerDifference, missedDifference } from './classify.js';
import type { SourceFold } from './source-side.js';
import { storedForms } from './stored-key.js';
import type { Difference } from './types.js';

/**
 * The differences classifySourceSide finds, in its order (the source's rows in read order, then the
 * licenses without a row in license order), with `pages` read once. `wanted`: whether a license of a
 * page is one to compare (its bucket differs, and it was in the key set read before the source).
 */
export async function classifyByPages(
  fold: SourceFold,
  differing: ReadonlySet<number>,
  pages: AsyncIterable<readonly LedgerLicense[]>,
  wanted: (l: LedgerLicense) => boolean,
  licenseIdFor: (sourceKey: string) => string,
): Promise<Difference[]> {
  // Each row of a differing bucket by its key, and by the forms the ledger may read it back in
  // (stored-key.ts); the key itself wins over another's form.
  const rowOf = new Map<string, number>();
  // A key the fold holds twice (rare): each of its rows compared with the license, as classify.ts does.
  const again = new Map<number, number[]>();
  const forms: [string, number][] = [];
  for (let i = 0; i < fold.keys.length; i++) {
    if (!differing.has(fold.buckets[i] ?? -1)) continue;
    const key = fold.keys[i] as string;
    const first = rowOf.get(key);
    if (first === undefined) rowOf.set(key, i);
    else again.set(first, [...(again.get(first) ?? []), i]);
    const all = storedForms(key);
    for (let f = 1; f < all.length; f++) forms.push([all[f] as string, i]);
  }
  for (const [form, i] of forms) if (!rowOf.has(form)) rowOf.set(form, i);
  const unmappable = new Set<string>();
  for (const key of fold.unmappable) for (const form of storedForms(key)) unmappable.add(form);

  const met = new Set<number>();
  const changed = new Map<number, Difference>();
  const withoutRow: Difference[] = [];
  for await (const page of pages) {
    for (const l of page) {
      if (!wanted(l)) continue;
      const i = rowOf.get(l.sourceKey);
      if (i === undefined) {
        if (unmappable.has(l.sourceKey)) withoutRow.push(ledgerDifference('unmappable', l));
        else if (awaitsDeletion(l)) withoutRow.push(ledgerDifference('deleted-at-source', l));
        continue;
      }
      for (const r of [i, ...(again.get(i) ?? [])]) {
        met.add(r);
        // The pair fingerprinted under the source's key, as the fold's is.
        if (fold.fingerprints[r] === pairFingerprint(fold.keys[r] as string, l.contentHash)) continue;
        if (awaitsTick(fold, r, l)) fold.awaitingTick++;
        else changed.set(r, ledgerDifference(changedKind(l), l));
      }
    }
  }
  const out: Difference[] = [];
  for (let i = 0; i < fold.keys.length; i++) {
    if (!differing.has(fold.buckets[i] ?? -1)) continue;
    const d = changed.get(i);
    if (d) out.push(d);
    else if (!met.has(i)) {
      const key = fold.keys[i] as string;
      out.push(missedDifference(key, licenseIdFor(key)));
    }
  }
  out.push(...withoutRow);
  return out;
}
