/**
 * Stand-ins no row gives any more. A row without a key is quarantined under a stand-in key made
 * from its content (`XKZBH:missing#…`, connectors/sql/row-keys.ts; `<file>#<n>` for an XML record;
 * LB_SOURCE_KEY_MISSING). No read closes its record once no row gives the stand-in.
 *
 * The light check counts those stand-in keys, and closes none. A stand-in leaves the source's key set
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
import { isStandInKey } from '../../connectors/sql/row-keys.js';
import { CODE_KEY_MISSING } from '../../core/key-missing.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { SourceKeySet } from './stored-key.js';

/**
 * How many of the stand-in keys the report names: a person looks each up and closes it by hand,
 * and a worklist of thousands of keyless rows would make a report of megabytes. The count is of all.
 */
export const STAND_INS_LISTED = 100;

/** An XML stand-in: an export file's name and the record's index (record-rows.ts `recordKey`). */
const FILE_STAND_IN = /^(.*)(#[0-9]+)$/s;

/** Whether a stand-in names an export file (`<file>#<n>`), not a SQL row (`<col>:missing#<hex>`). */
export function isFileStandIn(key: string): boolean {
  return !isStandInKey(key) && FILE_STAND_IN.test(key);
}

/**
 * A stand-in key as the reports show it (text, HTML, `reconcile --json`), as every other shown key
 * is: an export file's name may be an ID number (`110105_19491231_002X.xml#3`), so its file part is
 * masked by shape and its `#<n>` kept. A SQL stand-in holds no value of the row and stays whole
 * (masking it could cut an 11-digit run of its hex). The stored report keeps the key whole, as it
 * keeps `all`; `licbridge quarantine export` gives it whole to the person resolving it.
 */
export function shownStandIn(key: string): string {
  if (!isFileStandIn(key)) return key;
  const [, file = '', index = ''] = FILE_STAND_IN.exec(key) ?? [];
  return `${maskNumberShapes(file)}${index}`;
}

/** Stand-in keys no row gives any more: how many, and the first `STAND_INS_LISTED`, sorted. */
export interface StandInsNotSeen {
  count: number;
  keys: string[];
}

/**
 * The open LB_SOURCE_KEY_MISSING keys among `quarantinedKeys` (the open keys, read before the
 * source: AFTER_LEDGER) that `sourceKeys` does not hold, counted per key (the worklist's entries:
 * a key read by two runs has two records). None when the key set is not known whole (`whole`
 * false) or holds no key at all. Reads only: information for the report.
 *
 * The keys are named whole here (the stored report keeps them so; the shown reports mask a file's
 * name by shape, `shownStandIn`): a stand-in is the key column's name and 16 hex digits of the row's
 * fingerprint (connectors/sql/row-keys.ts `standInKey`), or an export file's name and the record's
 * index (connectors/xml-files/record-rows.ts `recordKey`), and only those write this code, under
 * that key — never a value of the row. A person needs the key as it is to resolve it.
 */
export async function standInsNotSeen(
  ledger: Pick<Ledger, 'openQuarantine'>,
  input: {
    pipeline: string;
    quarantinedKeys: readonly string[];
    sourceKeys: SourceKeySet;
    whole: boolean;
  },
): Promise<StandInsNotSeen> {
  const { pipeline, quarantinedKeys, sourceKeys } = input;
  const none = { count: 0, keys: [] };
  if (!input.whole || sourceKeys.size === 0) return none;
  // Keys of other codes are among them (a row deleted at the source after it was quarantined):
  // only keys holding a LB_SOURCE_KEY_MISSING reason are counted. The worklist is read only
  // when some open key is not in the source.
  const gone = new Set(quarantinedKeys.filter((k) => !sourceKeys.has(k)));
  if (gone.size === 0) return none;
  const open = await ledger.openQuarantine({ pipeline });
  const keys = open
    .filter((e) => gone.has(e.sourceKey) && e.reasons.some((r) => r.code === CODE_KEY_MISSING))
    .map((e) => e.sourceKey)
    .sort();
  return { count: keys.length, keys: keys.slice(0, STAND_INS_LISTED) };
}
