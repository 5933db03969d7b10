/**
 * Stand-ins no row gives any more. A row without a key is quarantined under a stand-in key made
 * from its content (`XKZBH:missing#…`, connectors/sql/row-keys.ts; `<file>#<n>` for an XML record,
 * LB_SOURCE_KEY_MISSING). Once the department fills the key in, the row is read under its real key
 * and issued, and its stand-in is gone from the source: no run reads it again, so no read closes
 * its record, and the worklist and `licbridge status` named as still to fix a row already issued.
 * The source's key set lists the stand-ins of the rows still without a key (reconcile-reads.ts
 * `keySet`), so a stand-in it does not hold is one no row has: the light check closes its records.
 *
 * Only on the source's whole key set: a read that failed or was stopped part-way throws before
 * this, and a key set that looks shrunk (`sourceShrunk`: a view emptied, rights taken away, a
 * folder of exports moved) or empty is not taken at its word — the rows it lacks may be there.
 */
import type { Ledger } from '../../ledger/ledger.js';
import type { SourceKeySet } from './stored-key.js';

/** The audit actor of what a check does by itself (docs/audit.md), as `lifecycle:<pipeline>` is the tick's. */
export function checkActor(pipeline: string): string {
  return `reconcile:${pipeline}`;
}

/**
 * Closes the open LB_SOURCE_KEY_MISSING records among `quarantinedKeys` (the open keys, read before
 * the source: AFTER_LEDGER) whose key `sourceKeys` does not hold; how many were closed. None when
 * the key set is not known whole (`whole` false) or holds no key at all.
 */
export async function closeStandInsGone(
  ledger: Ledger,
  input: {
    pipeline: string;
    reportId: string;
    quarantinedKeys: readonly string[];
    sourceKeys: SourceKeySet;
    whole: boolean;
  },
): Promise<number> {
  const { pipeline, reportId, quarantinedKeys, sourceKeys } = input;
  if (!input.whole || sourceKeys.size === 0) return 0;
  // Keys of other codes are among them (a row deleted at the source after it was quarantined):
  // the ledger closes only records that hold a LB_SOURCE_KEY_MISSING reason.
  const gone = quarantinedKeys.filter((k) => !sourceKeys.has(k));
  if (gone.length === 0) return 0;
  const { records } = await ledger.resolveStandInsGone({
    pipeline,
    gone,
    actor: checkActor(pipeline),
    reportId,
  });
  return records;
}
