/**
 * Stand-ins no row gives any more. A row without a key is quarantined under a stand-in key made
 * from its content (`XKZBH:missing#…`, connectors/sql/row-keys.ts; `<file>#<n>` for an XML record;
 * LB_SOURCE_KEY_MISSING). No read closes its record once no row gives the stand-in.
 *
 * The light check counts those records, and closes none. A stand-in leaves the source's key set
 * when the department fills the key in, but also while the row is still without one: its content
 * changes without a run reading it (a column added, a setting of the source's decoding changed, an
 * update that leaves the cursor as it was: a new fingerprint, a new stand-in), its cursor moves
 * ahead of the database's clock, or the stream's view stops showing it. Closing on that inference
 * took such rows off the worklist (after 1cd8022e); the count tells a person to look, and
 * `licbridge quarantine resolve <key> --pipeline P --reason LB_SOURCE_KEY_MISSING` closes a record
 * they have seen fixed.
 *
 * Only on the source's whole key set: a read that failed or was stopped part-way throws before
 * this, and a key set that looks shrunk (`sourceShrunk`: a view emptied, rights taken away, a
 * folder of exports moved) or empty is not taken at its word — the rows it lacks may be there.
 */
import { CODE_KEY_MISSING } from '../../core/key-missing.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { SourceKeySet } from './stored-key.js';

/**
 * How many open LB_SOURCE_KEY_MISSING records among `quarantinedKeys` (the open keys, read before
 * the source: AFTER_LEDGER) stand under a key `sourceKeys` does not hold. None when the key set is
 * not known whole (`whole` false) or holds no key at all. Reads only: information for the report.
 */
export async function countStandInsNotSeen(
  ledger: Pick<Ledger, 'openQuarantine'>,
  input: {
    pipeline: string;
    quarantinedKeys: readonly string[];
    sourceKeys: SourceKeySet;
    whole: boolean;
  },
): Promise<number> {
  const { pipeline, quarantinedKeys, sourceKeys } = input;
  if (!input.whole || sourceKeys.size === 0) return 0;
  // Keys of other codes are among them (a row deleted at the source after it was quarantined):
  // only records holding a LB_SOURCE_KEY_MISSING reason are counted. The worklist is read only
  // when some open key is not in the source.
  const gone = new Set(quarantinedKeys.filter((k) => !sourceKeys.has(k)));
  if (gone.size === 0) return 0;
  const open = await ledger.openQuarantine({ pipeline });
  return open.filter((e) => gone.has(e.sourceKey) && e.reasons.some((r) => r.code === CODE_KEY_MISSING))
    .length;
}
