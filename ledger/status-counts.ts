/**
 * Versions per pipeline (and those owed a license file), signatures per pipeline and seal,
 * deliveries per pipeline, target and state (with their attempts and retries), and license files
 * of versions owed one per pipeline, kept as the rows change (status-count-triggers.ts,
 * migration 058), so `licbridge status` and a `/metrics` scrape read a row per group instead of
 * joining every delivery and signature with its version: at 500,000 versions those grouped
 * counts took 0.3-1.5 s each, and a scrape past 2 million passed Prometheus's 10 s timeout.
 *
 * On PostgreSQL the writers append changes (`*_count_changes`); a reader first folds them into the
 * totals in one statement of its own (delete the changes, add them up, add them in), so what it
 * reads is a few rows whatever the ledger holds, plus the changes written since the last read.
 * Two readers folding at once do not count a change twice: the second's delete waits on the rows
 * the first deleted and then passes over them.
 */
import type { Knex } from 'knex';
import { type Db, toInt } from './db.js';
import { STATUS_COUNTS } from './status-count-triggers.js';

type CountKind = (typeof STATUS_COUNTS)[number];

function kind(counts: string): CountKind {
  return STATUS_COUNTS.find((c) => c.counts === counts) as CountKind;
}

const changesOf = (counts: string) => counts.replace(/_counts$/, '_count_changes');

/** The counts tables (and on PostgreSQL the changes tables), empty. */
export async function createStatusCountTables(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  for (const c of STATUS_COUNTS) {
    await knex.schema.createTable(c.counts, (t) => {
      for (const k of c.keys) t.text(k).notNullable();
      for (const s of c.sums) t.bigInteger(s).notNullable().defaultTo(0);
      t.primary([...c.keys], `${c.counts}_pk`);
    });
    // No key and no index: only appended to, and read whole by the fold.
    if (pg)
      await knex.schema.createTable(changesOf(c.counts), (t) => {
        for (const k of c.keys) t.text(k).notNullable();
        for (const s of c.sums) t.bigInteger(s).notNullable();
      });
  }
}

export async function dropStatusCountTables(knex: Knex): Promise<void> {
  for (const c of STATUS_COUNTS) {
    await knex.schema.dropTableIfExists(changesOf(c.counts));
    await knex.schema.dropTableIfExists(c.counts);
  }
}

/**
 * The counts of `counts` from the rows, in full: what the kept counts must equal. Used to fill
 * them once (migration 058); a read of every row, never for a scrape.
 */
export function fullCount(k: Knex | Knex.Transaction, counts: string): Knex.QueryBuilder {
  const c = kind(counts);
  const groupBy = c.keys.slice(1);
  const q = c.version
    ? k(`${c.table} as r`)
        .join('license_versions as v', 'v.version_id', 'r.version_id')
        .select('v.pipeline as pipeline')
        .groupBy('v.pipeline')
    : k(`${c.table} as r`).select('r.pipeline as pipeline').groupBy('r.pipeline');
  for (const g of groupBy) q.select(`r.${g} as ${g}`).groupBy(`r.${g}`);
  c.sums.forEach((s, i) => {
    q.select(k.raw(`sum(${(c.of[i] as (r: string) => string)('r')} * ${c.byVersion}) as ${s}`));
  });
  return q;
}

/** Fills `counts` from the rows (the triggers must be in place, and the rows' writers held off). */
export async function fillStatusCounts(knex: Knex): Promise<void> {
  for (const c of STATUS_COUNTS) {
    // The select's columns come in the table's order: keys, then sums.
    await knex(c.counts).insert(fullCount(knex, c.counts));
  }
}

/**
 * Adds the changes the writers appended to the totals (PostgreSQL; SQLite adds them at once), so
 * the next read finds few. Only upkeep: the read adds up what is left, so a fold that fails (a
 * role that may only read) is logged and the counts read are still whole.
 */
async function fold(db: Db, counts: string): Promise<void> {
  if (db.dialect !== 'postgres') return;
  const c = kind(counts);
  const keys = c.keys.join(', ');
  const sums = c.sums.map((s) => `sum(${s}) as ${s}`).join(', ');
  try {
    await db.write(`fold ${counts}`, async (trx) => {
      // In key order, so two readers folding at once take the total rows in one order.
      await trx.raw(
        `with moved as (delete from ${changesOf(counts)} returning *)
         insert into ${counts} (${keys}, ${c.sums.join(', ')})
         select ${keys}, ${sums} from moved group by ${keys} order by ${keys}
         on conflict (${keys}) do update set ${c.sums.map((s) => `${s} = ${counts}.${s} + excluded.${s}`).join(', ')}`,
      );
    });
  } catch (e) {
    db.log.warn(
      { err: { message: e instanceof Error ? e.message : String(e) } },
      `ledger: ${counts} not folded`,
    );
  }
}

/** The kept counts of `counts`, groups with no rows left out. */
export async function readStatusCounts(
  db: Db,
  counts: 'version_counts' | 'signature_counts' | 'delivery_counts' | 'license_file_counts',
  where: Record<string, string> = {},
): Promise<Record<string, string | number>[]> {
  await fold(db, counts);
  const c = kind(counts);
  return db.read(`read ${counts}`, async (k) => {
    // On PostgreSQL with the changes not folded yet, in one statement: one snapshot of both, and a
    // fold moves changes into the totals in one transaction, so nothing is counted twice or missed.
    const source =
      db.dialect === 'postgres'
        ? k
            .unionAll([
              k(counts).select(...c.keys, ...c.sums),
              k(changesOf(counts)).select(...c.keys, ...c.sums),
            ])
            .as('c')
        : counts;
    const rows: Record<string, unknown>[] = await k
      .from(source)
      .where(where)
      .groupBy(...c.keys)
      .select(...c.keys)
      .select(c.sums.map((s) => k.raw(`sum(??) as ??`, [s, s])))
      .having(k.raw('sum(row_count)'), '>', 0);
    return rows.map((r) => {
      const out: Record<string, string | number> = {};
      for (const key of c.keys) out[key] = String(r[key]);
      for (const s of c.sums) out[s] = toInt(r[s] ?? 0);
      return out;
    });
  });
}
