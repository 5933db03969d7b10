/**
 * The reads of every page of delivery — the page's signatures and its delivery rows, named by a
 * few hundred version ids — on a PostgreSQL ledger whose statistics autovacuum has not gathered
 * (it was off on the bench's server; on a busy one it comes late). Without statistics the planner
 * took the page's `IN` list for half of `signatures` (or `deliveries`), whose keys are two columns,
 * and joined the versions by a hash over a sequential scan of every version: a page's read grew
 * with the ledger, 31 → 147 ms over a 60,000-row run. The signatures read now has stale
 * statistics refreshed first (ledger/pg-statistics.ts), looking at most every few seconds; the
 * deliveries read, which also names the target, is planned by its key without them. Their plans
 * are asked of PostgreSQL on a ledger of 50,500 versions whose tables were never analyzed.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createDb, type Db } from '../../ledger/db.js';
import { ensureDeliveries } from '../../ledger/deliveries.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { getSignatures } from '../../ledger/signatures.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const SEED = 500;
const COPIES = 100;
const TABLES = ['licenses', 'license_versions', 'signatures', 'deliveries'] as const;

/**
 * Each seed row again `COPIES` times, with keys of its own (version ids `id + g * 1000`), written
 * copy by copy so that, as in a ledger, later versions lie further on in the table.
 */
const OVERRIDES: Record<(typeof TABLES)[number], Record<string, string>> = {
  licenses: { license_id: "t.license_id || '.' || g", source_key: "t.source_key || '.' || g" },
  license_versions: {
    version_id: 't.version_id + g * 1000',
    license_id: "t.license_id || '.' || g",
    identifier: "''",
  },
  signatures: { version_id: 't.version_id + g * 1000' },
  deliveries: { version_id: 't.version_id + g * 1000' },
};

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

interface Scan {
  node: string;
  table: string;
  rows: number;
}

function scans(node: PlanNode): Scan[] {
  const table = node['Relation Name'];
  const own = table ? [{ node: node['Node Type'], table, rows: node['Plan Rows'] }] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}

/**
 * What matters of a page read's plan: the versions are reached through their key, and the page's
 * rows are expected as about a page. (Whether the page's own rows are read through their index
 * or by a scan is left to the planner: near 50,000 rows the two cost about the same.)
 */
function expectPageRead(plan: readonly Scan[], table: string): void {
  const shown = plan.map((s) => `${s.node} on ${s.table} (${s.rows} rows)`).join('; ');
  expect(
    plan.filter((s) => s.table === 'license_versions' && s.node === 'Seq Scan'),
    shown,
  ).toEqual([]);
  const own = plan.filter((s) => s.table === table);
  expect(own, shown).toHaveLength(1);
  expect(own[0]?.rows, shown).toBeLessThanOrEqual(2 * SEED);
}

describe('the reads of a delivery page on a ledger never analyzed (postgres)', () => {
  let database: TestDatabase;
  let k: Knex;
  const seen: { sql: string; bindings: readonly unknown[] }[] = [];
  const page = Array.from({ length: SEED }, (_, i) => COPIES * 1000 + i + 1);

  /** A ledger handle of its own on the test's knex, whose statements `seen` records. */
  function handle(): Db {
    return createDb({
      knex: k,
      dialect: 'postgres',
      maxParams: 65_535,
      maxRows: Number.POSITIVE_INFINITY,
      log: quietLogger,
      exclusive: (work) => work(),
    });
  }

  async function planOf(statement: { sql: string; bindings: readonly unknown[] }): Promise<Scan[]> {
    const res: { rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[] } = await k.raw(
      // The event shows PostgreSQL's `$n` placeholders; knex binds `?`.
      `explain (format json) ${statement.sql.replace(/\$\d+/g, '?')}`,
      [...statement.bindings] as Knex.RawBinding[],
    );
    const plan = res.rows[0]?.['QUERY PLAN'][0]?.Plan;
    if (!plan) throw new Error('no plan');
    return scans(plan);
  }

  beforeAll(async () => {
    database = await postgresBackend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'full' });
    const { created } = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: String(SEED) }),
      rowsRead: SEED,
      candidates: candidates(1, SEED, { pipeline }),
      quarantined: [],
    });
    const ids = created.map((c) => c.versionId);
    expect(Math.max(...ids)).toBeLessThan(1000);
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-s')));
    await ledger.close();

    // As if autovacuum had not come round yet, whatever the server's setting. The delivery rows
    // are written here, as the ledger's own reads would analyze the tables.
    const raw = rawKnex(database.url);
    try {
      await raw.raw(
        `insert into deliveries (version_id, target, state, attempts, reasons, created_at, updated_at)
         select version_id, 'province', 'pending', 0, '[]', now(), now() from license_versions`,
      );
      for (const table of TABLES) {
        await raw.raw('alter table ?? set (autovacuum_enabled = false)', [table]);
        const { rows } = (await raw.raw(
          `select column_name as c from information_schema.columns
            where table_schema = current_schema() and table_name = ? and is_generated = 'NEVER'
            order by ordinal_position`,
          [table],
        )) as { rows: { c: string }[] };
        const columns = rows.map((r) => r.c);
        const values = columns.map((c) => OVERRIDES[table][c] ?? `t.${c}`);
        await raw.raw(
          `insert into ${table} (${columns.join(', ')})
           select ${values.join(', ')} from generate_series(1, ${COPIES}) g cross join ${table} t order by g`,
        );
      }
      const never = await raw.raw(
        `select count(*)::int as n from pg_stat_user_tables where schemaname = current_schema()
            and relname = any(?) and analyze_count + autoanalyze_count > 0`,
        [[...TABLES]],
      );
      expect(never.rows[0].n).toBe(0);
    } finally {
      // An exiting backend hands its table counters to the shared statistics at once.
      await raw.destroy();
    }
    k = rawKnex(database.url);
    k.on('query', (q: { sql: string; bindings?: readonly unknown[] }) =>
      seen.push({ sql: q.sql, bindings: q.bindings ?? [] }),
    );
  }, 120_000);

  afterAll(async () => {
    await k?.destroy();
    await database?.dispose();
  });

  it('reads a page of signatures through the keys, not every version', async () => {
    seen.length = 0;
    const got = await getSignatures(handle(), page);
    expect(got).toHaveLength(SEED);
    const read = seen.find((s) => /from "signatures" as "s"/.test(s.sql));
    if (!read) throw new Error('the signatures read was not seen');
    expectPageRead(await planOf(read), 'signatures');
  });

  it('reads a page of deliveries through the keys, not every version', async () => {
    seen.length = 0;
    const got = await ensureDeliveries(handle(), page, 'province');
    expect(got).toHaveLength(SEED);
    const read = seen.find((s) => /from "deliveries" as "d"/.test(s.sql));
    if (!read) throw new Error('the deliveries read was not seen');
    expectPageRead(await planOf(read), 'deliveries');
  });

  it('looks at the statistics once for the pages of a few seconds', async () => {
    const db = handle();
    seen.length = 0;
    for (let i = 0; i < 3; i++) await getSignatures(db, page);
    expect(seen.filter((s) => s.sql.includes('pg_stat_user_tables'))).toHaveLength(1);
  });
});
