/**
 * What the plan tests share (lease-claims-plan, wave-reads-plan): a ledger grown large by copying a
 * page of licenses in SQL, a ledger handle whose statements are recorded, and the plans the database
 * itself makes for the statements a call issued, as it issued them. On PostgreSQL each statement is
 * run under EXPLAIN ANALYZE in a transaction rolled back (a write changes nothing) with the settings
 * the call made for its own (`set local`), and the rows it read of each table counted; on SQLite
 * its EXPLAIN QUERY PLAN is read.
 */
import type { Knex } from 'knex';
import { expect } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createDb, type Db } from '../../ledger/db.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { type Backend, quietLogger, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

export interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** A scan of a watched table: how, through which index and on what condition; and the rows it read. */
export interface Scan {
  table: string;
  text: string;
  /** The index's condition (a bitmap's, for its heap scan), or SQLite's search terms. */
  cond: string;
  /** Rows of the table read: those the scan returned and those its conditions removed (PostgreSQL). */
  read: number;
}

export interface Plan {
  sql: string;
  scans: Scan[];
}

/**
 * Fresh statistics of this file's own tables. On PostgreSQL a bare `analyze` analyzes every table
 * of the database, the schemas other test files work in too, and page-reads-plan's ledger is one
 * that must never have been analyzed: its tables are named here, the current schema's alone.
 */
export async function analyzeOwnTables(k: Knex, pg: boolean): Promise<void> {
  if (!pg) {
    await k.raw('analyze');
    return;
  }
  const { rows } = (await k.raw(
    'select tablename as t from pg_tables where schemaname = current_schema() order by tablename',
  )) as { rows: { t: string }[] };
  for (const { t } of rows) await k.raw('analyze ??', [t]);
}

/** `generate_series(1, n)` as a table `g(value)`, on either backend. */
export function seriesOf(pg: boolean, n: number): string {
  return pg
    ? `generate_series(1, ${n}) g(value)`
    : `(with recursive s(value) as (select 1 union all select value + 1 from s where value < ${n}) select value from s) g`;
}

/**
 * A ledger of `seed` licenses committed as a run commits them (one version each, with their
 * context), then each copied `copies` times in SQL with keys of their own (version ids
 * `id + g * 1000`, so `seed` is at most 1,000). `seeded` may write more rows of the seed versions
 * (signatures): `copied` names those tables, copied likewise. Deliveries are the caller's.
 */
export async function largeLedger(
  backend: Backend,
  options: {
    seed: number;
    copies: number;
    seeded?: (ledger: Ledger, versionIds: number[]) => Promise<void>;
    copied?: readonly string[];
  },
): Promise<{ database: TestDatabase; k: Knex }> {
  const pg = backend.name === 'postgres';
  const database = await backend.create();
  const ledger = await openLedger(database.url, { logger: quietLogger });
  const pipeline = uniqueName('p');
  const runId = uniqueName('run');
  await ledger.startRun({ runId, pipeline, mode: 'full' });
  await ledger.commitPage({
    pipeline,
    runId,
    checkpoint: encodeKeyPosition({ cursor: null, key: String(options.seed) }),
    rowsRead: options.seed,
    candidates: candidates(1, options.seed, { pipeline }),
    quarantined: [],
  });
  const k = rawKnex(database.url);
  if (options.seeded) {
    const ids = (
      (await k('license_versions').select('version_id').orderBy('version_id')) as { version_id: unknown }[]
    ).map((r) => Number(r.version_id));
    await options.seeded(ledger, ids);
  }
  await ledger.close();
  const overrides: Record<string, Record<string, string>> = {
    licenses: {
      license_id: "t.license_id || '.' || g.value",
      source_key: "t.source_key || '.' || g.value",
    },
    license_versions: {
      version_id: 't.version_id + g.value * 1000',
      license_id: "t.license_id || '.' || g.value",
      // Stored whole: a copy's license id is not one an identifier follows from (identifier-column.ts).
      identifier: "t.license_id || '.' || g.value || '.001.F'",
    },
  };
  for (const table of ['licenses', 'license_versions', ...(options.copied ?? [])]) {
    const columns = pg
      ? (
          (await k.raw(
            `select column_name as c from information_schema.columns
              where table_schema = current_schema() and table_name = ? and is_generated = 'NEVER'
              order by ordinal_position`,
            [table],
          )) as { rows: { c: string }[] }
        ).rows.map((r) => r.c)
      : (
          (await k.raw('select name as c from pragma_table_xinfo(?) where hidden = 0', [table])) as {
            c: string;
          }[]
        ).map((r) => r.c);
    const override = overrides[table] ?? { version_id: 't.version_id + g.value * 1000' };
    await k.raw(
      `insert into ${table} (${columns.join(', ')})
       select ${columns.map((c) => override[c] ?? `t.${c}`).join(', ')}
         from ${seriesOf(pg, options.copies)} cross join ${table} t order by g.value`,
    );
  }
  return { database, k };
}

/** A ledger handle on `k` that records every statement it issues in `seen`. */
export function recordingDb(k: Knex, dialect: 'sqlite' | 'postgres', seen: Statement[]): Db {
  k.on('query', (q: { sql: string; bindings?: readonly unknown[] }) =>
    seen.push({ sql: q.sql, bindings: q.bindings ?? [] }),
  );
  return createDb({
    knex: k,
    dialect,
    maxParams: dialect === 'postgres' ? 65_535 : 32_766,
    maxRows: Number.POSITIVE_INFINITY,
    log: quietLogger,
    exclusive: (work) => work(),
  });
}

/** Thrown to roll back the transaction an analyzed statement ran in, with its plan. */
class Analyzed {
  constructor(readonly plan: PlanNode) {}
}

/**
 * Plans of the statements a call issues that read or write `tables` (a table, and the first column
 * of each key it is named by, `|` between them: a statement about named rows finds them by one).
 */
export function planProbe(k: Knex, pg: boolean, seen: Statement[], tables: Readonly<Record<string, string>>) {
  const names = Object.keys(tables);
  const watched = new RegExp(`\\b(from|update|join) [\`"]?(${names.join('|')})\\b`, 'i');

  const keyOf = (table: string) => tables[table] ?? '';

  /** Each scan of a watched table in an analyzed PostgreSQL plan (an update's own node names its table too: not a scan). */
  function scans(node: PlanNode): Scan[] {
    const table = node['Relation Name'];
    const index = node['Node Type'] === 'Bitmap Heap Scan' ? node.Plans?.[0] : node;
    const cond = (index?.['Index Cond'] ?? '').replace(/'\{[^}]*\}'/g, "'{…}'");
    const own: Scan[] =
      table && node['Node Type'] !== 'ModifyTable' && table in tables
        ? [
            {
              table,
              text: `${node['Node Type']} on ${table} using ${index?.['Index Name'] ?? '-'} (${cond})`,
              cond,
              read:
                (node['Actual Rows'] +
                  (node['Rows Removed by Filter'] ?? 0) +
                  (node['Rows Removed by Index Recheck'] ?? 0)) *
                node['Actual Loops'],
            },
          ]
        : [];
    return [...own, ...(node.Plans ?? []).flatMap(scans)];
  }

  /** The scans of the watched tables in the plan of each statement `work` issued that reads or writes one. */
  async function plansOf(work: () => Promise<unknown>): Promise<Plan[]> {
    seen.length = 0;
    await work();
    const statements = seen.filter((s) => /^\s*(select|update)\b/i.test(s.sql) && watched.test(s.sql));
    expect(statements.length).toBeGreaterThan(0);
    // Settings the call made for its transaction (`set local`) are made again around each plan.
    const settings = seen.filter((s) => /^\s*set\b/i.test(s.sql));
    const out: Plan[] = [];
    for (const s of [...statements]) {
      const shown = s.sql.replace(/(\$\d+|\?)(, (\$\d+|\?))+/g, '…').slice(0, 160);
      if (pg) {
        // Run, to count the rows it reads, in a transaction rolled back: a write changes nothing.
        const plan = await k
          .transaction(async (t) => {
            for (const set of settings) await t.raw(set.sql, [...set.bindings] as Knex.RawBinding[]);
            const res = (await t.raw(`explain (analyze, format json) ${s.sql.replace(/\$\d+/g, '?')}`, [
              ...s.bindings,
            ] as Knex.RawBinding[])) as { rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[] };
            const analyzed = res.rows[0]?.['QUERY PLAN'][0]?.Plan;
            if (!analyzed) throw new Error('no plan');
            throw new Analyzed(analyzed);
          })
          .then(
            () => undefined,
            (e: unknown) => {
              if (e instanceof Analyzed) return e.plan;
              throw e;
            },
          );
        if (!plan) throw new Error('no plan');
        out.push({ sql: shown, scans: scans(plan) });
      } else {
        const rows = (await k.raw(`explain query plan ${s.sql}`, [...s.bindings] as Knex.RawBinding[])) as {
          detail: string;
        }[];
        // SQLite names a table by its alias where the statement gives one (`deliveries as d`, `license_versions v`).
        const aliases = new Map<string, string>(names.map((n) => [n, n]));
        for (const m of s.sql.matchAll(
          new RegExp(`[\`"]?(${names.join('|')})[\`"]?(?: as)? [\`"]?(\\w+)`, 'gi'),
        ))
          if (m[1] && m[2]) aliases.set(m[2], m[1]);
        const own = rows
          .map((r) => r.detail)
          .filter((d) => /^(SCAN|SEARCH) /.test(d) && aliases.has(d.split(' ')[1] ?? ''));
        out.push({
          sql: shown,
          scans: own.map((text) => ({
            table: aliases.get(text.split(' ')[1] ?? '') ?? names[0] ?? '',
            text,
            cond: text.replace(/^[^(]*/, ''),
            read: 0,
          })),
        });
      }
    }
    return out;
  }

  /**
   * Every statement reaches the watched tables' rows through their key, none by reading the whole
   * table or every row of a state (an index on the state), and reads at most `maxRead` rows of each.
   */
  function expectIndexed(plans: readonly Plan[], maxRead: number): void {
    for (const p of plans) {
      const shown = `${p.sql}: ${p.scans.map((s) => `${s.text}, ${s.read} rows read`).join('; ')}`;
      expect(p.scans.length, shown).toBeGreaterThan(0);
      for (const scan of p.scans) {
        if (pg) expect(scan.text, shown).toMatch(/^(Index Scan|Index Only Scan|Bitmap Heap Scan) on /);
        else
          expect(scan.text, shown).toMatch(
            /^SEARCH \w+ USING (INDEX|PRIMARY KEY|COVERING INDEX|INTEGER PRIMARY KEY)/,
          );
        const key = keyOf(scan.table);
        expect(scan.cond, shown).toMatch(pg ? new RegExp(`\\b(${key}) = `) : new RegExp(`\\b(${key})=`));
        expect(scan.read, shown).toBeLessThanOrEqual(maxRead);
      }
    }
  }

  return { plansOf, expectIndexed };
}
