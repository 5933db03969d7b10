/**
 * The triggers that keep the status counts (ledger/status-counts.ts) in the transaction of every
 * write to `license_versions`, `signatures`, `deliveries` and `license_files`. Triggers, not a
 * call in each writer: deliveries alone are written by outcomes, attempts, claims, replays,
 * discards, reopenings, repairs and migrations, and a writer added later that forgot the call
 * would skew the counts for good, silently. The database cannot forget.
 *
 * - PostgreSQL: one trigger per statement (`FOR EACH STATEMENT` with transition tables), so a
 *   batch of 500 outcomes adds one statement, not 500. It appends the statement's net change per
 *   group to a `*_count_changes` table, never updating a shared row: every writer of a target's
 *   deliveries would otherwise wait on the same count row until it commits, and two writers
 *   changing two groups in opposite orders would deadlock (each write transaction takes the audit
 *   head last, audit-chain.ts; a count row taken before it by every statement breaks that rule).
 *   A reader folds the changes into the totals (status-counts.ts).
 * - SQLite: one trigger per row, adding to the totals at once. One writer holds the database at a
 *   time, so there is no row to wait on, and the trigger runs inside the writer's statement: no
 *   round trip, no statement compiled again.
 *
 * A version's pipeline and status are never rewritten (the counts of its signatures, deliveries
 * and file are filed under its pipeline, a file counted by its version's status). A migration that
 * rebuilds one of these tables (copy, drop, rename, as knex's `alterTable` does on SQLite to drop
 * or change a column) drops the table's triggers with it, and on SQLite cannot rename the copy of
 * `license_versions` into place while the other tables' triggers name it: it drops the triggers
 * first (`dropStatusCountTriggers`) and makes them again after; a rebuild that keeps the rows as
 * they were leaves the counts right.
 */
import type { Knex } from 'knex';

/** What a delivery row adds to its group: one row, its attempts, its retries (as deliveryCounts always summed them). */
const ATTEMPTS = (r: string) => `(${r}.attempts + coalesce(${r}.carried_attempts, 0))`;
const RETRIES = (r: string) =>
  `(coalesce(${r}.carried_retries, 0) + (case when ${r}.attempts > 1 then ${r}.attempts - 1 else 0 end))`;

interface Counted {
  table: string;
  /** The counts table, keyed by `pipeline` and `groupBy`. */
  counts: string;
  /** Columns of the row that name its group besides the version's pipeline. */
  groupBy: readonly string[];
  /** Summed columns and the row's contribution to each (`r` is the row's alias). */
  sums: readonly { column: string; of: (r: string) => string }[];
  /** Columns whose change moves a row between groups or changes what it adds. */
  watched: readonly string[];
  /** Whether the row reaches its pipeline through its version (`v`); else it carries it. */
  version: boolean;
  /** What each of the row's sums counts for by its version (`v`), SQL: 1 unless given. */
  byVersion?: string;
}

const ONE = () => '1';
/**
 * A version owed a sealed license file: license-files.ts FILE_STATUS (not imported: that module
 * reads these counts). The kept-counts test holds the two to one answer.
 */
const OWED_FILE = (r: string) => `(case when ${r}.status = 'valid' then 1 else 0 end)`;

const COUNTED: readonly Counted[] = [
  {
    table: 'license_versions',
    counts: 'version_counts',
    groupBy: [],
    // `owed_files`: versions owed a sealed license file (license-files.ts FILE_STATUS).
    sums: [
      { column: 'row_count', of: ONE },
      { column: 'owed_files', of: OWED_FILE },
    ],
    watched: ['pipeline', 'status'],
    version: false,
  },
  {
    // Files of versions owed one: `countWithoutFile` is the versions owed one less these (one
    // file per version, `license_files` keyed by version id; a version's status never changes).
    table: 'license_files',
    counts: 'license_file_counts',
    groupBy: [],
    sums: [{ column: 'row_count', of: ONE }],
    watched: ['version_id'],
    version: true,
    byVersion: OWED_FILE('v'),
  },
  {
    table: 'signatures',
    counts: 'signature_counts',
    groupBy: ['seal_id'],
    sums: [{ column: 'row_count', of: ONE }],
    watched: ['version_id', 'seal_id'],
    version: true,
  },
  {
    table: 'deliveries',
    counts: 'delivery_counts',
    groupBy: ['target', 'state'],
    sums: [
      { column: 'row_count', of: ONE },
      { column: 'attempts', of: ATTEMPTS },
      { column: 'retries', of: RETRIES },
    ],
    watched: ['version_id', 'target', 'state', 'attempts', 'carried_attempts', 'carried_retries'],
    version: true,
  },
];

/** The tables the counts are kept in, with their group and summed columns. */
export const STATUS_COUNTS = COUNTED.map((c) => ({
  table: c.table,
  counts: c.counts,
  keys: ['pipeline', ...c.groupBy],
  sums: c.sums.map((s) => s.column),
  version: c.version,
  of: c.sums.map((s) => s.of),
  byVersion: c.byVersion ?? '1',
}));

export async function createStatusCountTriggers(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  for (const c of COUNTED) {
    for (const sql of pg ? pgTriggers(c) : sqliteTriggers(c)) await knex.raw(sql);
  }
}

export async function dropStatusCountTriggers(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  for (const c of COUNTED) {
    for (const op of ['insert', 'update', 'delete']) {
      await knex.raw(
        pg
          ? `drop trigger if exists ${c.counts}_${op} on ${c.table}`
          : `drop trigger if exists ${c.counts}_${op}`,
      );
    }
    if (pg) await knex.raw(`drop function if exists ${c.counts}_changed()`);
  }
}

function pgTriggers(c: Counted): string[] {
  const keys = ['pipeline', ...c.groupBy];
  const rowKeys = c.version ? ['version_id', ...c.groupBy] : keys;
  // The rows a statement touched, each with what it adds (+) or takes away (-).
  const signed = (rows: string, sign: '' | '-') =>
    `select ${rowKeys.map((k) => `r.${k}`).join(', ')}, ${c.sums
      .map((s) => `${sign}${s.of('r')} as ${s.column}`)
      .join(', ')} from ${rows} r`;
  const sums = c.sums.map((s) => `sum(x.${s.column}) as ${s.column}`).join(', ');
  const nonZero = c.sums.map((s) => `sum(x.${s.column}) <> 0`).join(' or ');
  // Netted per row's group first: an update that leaves a row's counted columns as they were (a
  // claim, a receipt) cancels out before any version is looked up for its pipeline.
  const net = (source: string) =>
    `select ${rowKeys.map((k) => `x.${k}`).join(', ')}, ${sums} from (${source}) x
       group by ${rowKeys.map((k) => `x.${k}`).join(', ')} having ${nonZero}`;
  const withPipeline = (source: string) =>
    c.version
      ? `select ${['v.pipeline', ...c.groupBy.map((k) => `n.${k}`)].join(', ')}, ${c.sums
          .map((s) => `sum(n.${s.column} * ${c.byVersion ?? '1'})`)
          .join(', ')}
         from (${net(source)}) n join license_versions v on v.version_id = n.version_id
         group by ${['v.pipeline', ...c.groupBy.map((k) => `n.${k}`)].join(', ')}`
      : net(source);
  const insert = (source: string) =>
    `insert into ${c.counts.replace(/_counts$/, '_count_changes')} (${[
      ...keys,
      ...c.sums.map((s) => s.column),
    ].join(', ')}) ${withPipeline(source)};`;
  const fn = `create function ${c.counts}_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    ${insert(signed('new_rows', ''))}
  elsif tg_op = 'DELETE' then
    ${insert(signed('old_rows', '-'))}
  else
    ${insert(`${signed('old_rows', '-')} union all ${signed('new_rows', '')}`)}
  end if;
  return null;
end
$$`;
  const trigger = (op: string, referencing: string) =>
    `create trigger ${c.counts}_${op} after ${op} on ${c.table} referencing ${referencing}
       for each statement execute function ${c.counts}_changed()`;
  return [
    fn,
    trigger('insert', 'new table as new_rows'),
    trigger('update', 'old table as old_rows new table as new_rows'),
    trigger('delete', 'old table as old_rows'),
  ];
}

function sqliteTriggers(c: Counted): string[] {
  const keys = ['pipeline', ...c.groupBy];
  const sumCols = c.sums.map((s) => s.column);
  // One row's change to its group's totals; a group seen for the first time starts at it.
  const add = (r: 'new' | 'old', sign: '' | '-') => {
    const values = [
      ...c.groupBy.map((k) => `${r}.${k}`),
      ...c.sums.map((s) => `${sign}${s.of(r)}${c.byVersion ? ` * ${c.byVersion}` : ''}`),
    ];
    const source = c.version
      ? `select v.pipeline, ${values.join(', ')} from license_versions v where v.version_id = ${r}.version_id`
      : `select ${r}.pipeline, ${values.join(', ')} where true`;
    return `insert into ${c.counts} (${[...keys, ...sumCols].join(', ')}) ${source}
      on conflict (${keys.join(', ')}) do update set ${sumCols
        .map((s) => `${s} = ${s} + excluded.${s}`)
        .join(', ')};`;
  };
  const changed = c.watched.map((w) => `old.${w} is not new.${w}`).join(' or ');
  return [
    `create trigger ${c.counts}_insert after insert on ${c.table} begin ${add('new', '')} end`,
    `create trigger ${c.counts}_update after update of ${c.watched.join(', ')} on ${c.table}
       when ${changed} begin ${add('old', '-')} ${add('new', '')} end`,
    `create trigger ${c.counts}_delete after delete on ${c.table} begin ${add('old', '-')} end`,
  ];
}
