/**
 * Rows a pipeline's stream leaves for their time: a date/time cursor ahead of the source
 * database's clock (connectors/sql/keyset.ts `readBound`). A "never" placeholder (9999-12-31) or a
 * mistyped year waits for good, and only the data's owner can tell it from a time zone ahead of the
 * database's, so a person has to be told: `licbridge status` names the stream and the count
 * (`source-ahead-of-clock`), never a value.
 *
 * The count is the one the last extract that read the stream to its end heard from the source
 * (`ReadOptions.onAheadOfClock`), kept in the ledger's store of connector state
 * (ledger/connector-state.ts) under the source, scope {@link AHEAD_OF_CLOCK_SCOPE}, keyed by the
 * pipeline: that store takes a new kind of entry without a migration, and status reads it without
 * reaching the source (`--no-sources`, a `/metrics` scrape). Each such read writes it again while
 * rows wait, and once more with 0 when none do, so the attention clears once a run has read the
 * rows (their values corrected, or their time come). `licbridge source forget` forgets it with the
 * source's other state; the next run counts again.
 */
import type { AheadOfClock } from '../../connectors/source.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Attention } from './attention.js';

/** The connector-state scope of the counts; an export folder's scopes are record paths, without `:`. */
export const AHEAD_OF_CLOCK_SCOPE = 'licbridge:ahead-of-clock';

/** What the last read to the stream's end counted, as status shows it. */
export interface AheadOfClockCount extends AheadOfClock {
  /** The run whose extract counted it. */
  runId: string;
}

/** Version 1 of the stored value: `{"v":1,"table":…,"cursor":…,"rows":…,"runId":…}`. */
function encode(count: AheadOfClockCount): string {
  const { table, cursor, rows, runId } = count;
  return JSON.stringify({ v: 1, table, cursor, rows, runId });
}

/** The stored value, or null for one this release cannot read (another version, another writer's). */
function decode(value: string): AheadOfClockCount | null {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    return null;
  }
  const { v, table, cursor, rows, runId } = parsed ?? {};
  if (v !== 1 || typeof table !== 'string' || typeof runId !== 'string') return null;
  if (cursor !== null && typeof cursor !== 'string') return null;
  if (!Number.isSafeInteger(rows) || (rows as number) < 0) return null;
  return { table, cursor, rows: rows as number, runId };
}

/**
 * Keeps what the run's read to the stream's end counted, replacing the pipeline's earlier count. A
 * count of 0 is written only over one that said rows wait: a pipeline none ever waited for keeps no
 * entry, so the source's state holds nothing more (`licbridge source forget` counts what it holds).
 */
export async function recordAheadOfClock(
  ledger: Pick<Ledger, 'putStateEntry' | 'stateEntries'>,
  source: string,
  pipeline: string,
  count: AheadOfClockCount,
): Promise<void> {
  if (count.rows === 0 && (await storedCount(ledger, source, pipeline)) === null) return;
  await ledger.putStateEntry(source, AHEAD_OF_CLOCK_SCOPE, pipeline, encode(count));
}

/** The pipeline's last count when rows wait; null when none do, or none was counted. */
export async function aheadOfClockCount(
  ledger: Pick<Ledger, 'stateEntries'>,
  source: string,
  pipeline: string,
): Promise<AheadOfClockCount | null> {
  return storedCount(ledger, source, pipeline);
}

async function storedCount(
  ledger: Pick<Ledger, 'stateEntries'>,
  source: string,
  pipeline: string,
): Promise<AheadOfClockCount | null> {
  const entries = await ledger.stateEntries(source, AHEAD_OF_CLOCK_SCOPE);
  const entry = entries.find((e) => e.key === pipeline);
  const count = entry ? decode(entry.value) : null;
  return count && count.rows > 0 ? count : null;
}

/** `N row(s) of stream \`T\``: what status shows of a count, names and a number only. */
export function aheadOfClockText(count: Pick<AheadOfClock, 'rows' | 'table'>): string {
  return `${count.rows} row(s) of stream \`${count.table}\``;
}

/** `source-ahead-of-clock`: the stream, the cursor and the count, what may cause it and the fix. */
export function aheadOfClockAttention(
  pipeline: string,
  source: string,
  count: AheadOfClockCount | null,
): Attention[] {
  if (!count) return [];
  return [
    {
      kind: 'source-ahead-of-clock',
      message: `pipeline ${pipeline}: ${aheadOfClockText(count)} (source ${source}) hold a cursor${count.cursor === null ? '' : ` \`${count.cursor}\``} ahead of the database's clock and wait until their time comes (counted by run ${count.runId}): a placeholder written as the time of change (9999-12-31) never comes, a mistyped year not for years, and an application writing its times in a zone ahead of the database's delays its rows by the difference; correct the values in the business system, or read the stream through a query mapping the placeholder to a real time; the next run that reads them clears this`,
    },
  ];
}
