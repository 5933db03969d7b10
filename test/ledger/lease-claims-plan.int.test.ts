/**
 * The statements of a lease's life — a claim's read of the rows kept and update of the rows taken
 * (ledger/leases.ts), a release, the outcome and attempts a sender records (a failed send's, a
 * failed status request's), the read of a wave's rows back and of their predecessors' states —
 * reach the rows they name through the table's key, and read about as many rows as they name, on a
 * ledger of 50,500 deliveries and 50,000 reminders with fresh statistics, a tenth of them open and
 * (deliveries) a tenth awaiting a platform's review: each backlog ten times a wave. Each statement
 * runs once per wave of a run: planned as a scan of the table, or of every open row of a target, a
 * run's work would grow with the square of its size. Plans are asked of the database itself for the
 * statements the calls issued, as they issued them, in a transaction with the settings the call
 * made; on PostgreSQL each is run (EXPLAIN ANALYZE, rolled back) and the rows it read counted.
 * Without `planByKey` (ledger/leases.ts) PostgreSQL planned both releases here as a `Seq Scan`;
 * so it did the read of a wave's deliveries back (ensureDeliveries, getDeliveries) while its ids went
 * as an `IN` list (ledger/deliveries.ts readDeliveries). Without `keyedState` (ledger/leases.ts) it
 * read all 5,050 open deliveries of the target for a failed send's attempt (`deliveries_open_idx`,
 * its condition the target alone), and all 5,000 pending reminders for a claim's read of those it
 * keeps (`reminders_state_target_idx`). */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createDb, type Db } from '../../ledger/db.js';
import {
  ensureDeliveries,
  getDeliveries,
  recordDeliveryAttempt,
  recordDeliveryOutcomes,
} from '../../ledger/deliveries.js';
import { claimDeliveries, releaseDeliveries } from '../../ledger/delivery-claims.js';
import { resolveDeliveryKeys } from '../../ledger/delivery-keys.js';
import { deliveryPredecessors } from '../../ledger/delivery-order.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { claimReminders, releaseReminders } from '../../ledger/reminder-claims.js';
import { deliveryKey } from '../../ledger/rows.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const SEED = 500;
const COPIES = 100;
const REMINDERS = 50_000;
/** One row in this many is open (`pending`); the rest are done, as in a ledger that has run a while. */
const OPEN_EVERY = 10;
/** A wave: this many open rows, the newest. */
const WAVE = 500;
const LEASED = ['deliveries', 'reminders'] as const;
/** The first column of each leased table's key: a statement about named rows finds them by it. */
const KEY: Record<string, string> = { deliveries: 'version_id', reminders: 'reminder_key' };
/**
 * Rows a statement about a wave may read of a leased table: the wave's, and as many again. The open
 * rows of the target are ten times a wave, and as many again await a review (`submitted`).
 */
const MAX_READ = 2 * WAVE;

interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** A scan of a leased table: how, through which index and on what condition; and the rows it read. */
interface Scan {
  table: string;
  text: string;
  /** The index's condition (a bitmap's, for its heap scan), or SQLite's search terms. */
  cond: string;
  /** Rows of the table read: those the scan returned and those its conditions removed (PostgreSQL). */
  read: number;
}

/** Each scan of a leased table in an analyzed PostgreSQL plan (an update's own node names its table too: not a scan). */
function scans(node: PlanNode): Scan[] {
  const table = node['Relation Name'];
  const index = node['Node Type'] === 'Bitmap Heap Scan' ? node.Plans?.[0] : node;
  const cond = (index?.['Index Cond'] ?? '').replace(/'\{[^}]*\}'/g, "'{…}'");
  const own: Scan[] =
    table && node['Node Type'] !== 'ModifyTable' && table in KEY
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

/** Thrown to roll back the transaction an analyzed statement ran in, with its plan. */
class Analyzed {
  constructor(readonly plan: PlanNode) {}
}

for (const backend of BACKENDS) {
  describe(`the statements of a lease on a large ledger (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let database: TestDatabase;
    let k: Knex;
    let db: Db;
    let deliveryKeys: string[] = [];
    let reminderKeys: string[] = [];
    const seen: Statement[] = [];

    beforeAll(async () => {
      database = await backend.create();
      const ledger = await openLedger(database.url, { logger: quietLogger });
      const pipeline = uniqueName('p');
      const runId = uniqueName('run');
      await ledger.startRun({ runId, pipeline, mode: 'full' });
      await ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: String(SEED) }),
        rowsRead: SEED,
        candidates: candidates(1, SEED, { pipeline }),
        quarantined: [],
      });
      await ledger.close();

      k = rawKnex(database.url);
      // Each seed row again `COPIES` times, with keys of their own (version ids `id + g * 1000`).
      const series = (n: number) =>
        pg
          ? `generate_series(1, ${n}) g(value)`
          : `(with recursive s(value) as (select 1 union all select value + 1 from s where value < ${n}) select value from s) g`;
      const overrides: Record<string, Record<string, string>> = {
        licenses: {
          license_id: "t.license_id || '.' || g.value",
          source_key: "t.source_key || '.' || g.value",
        },
        license_versions: {
          version_id: 't.version_id + g.value * 1000',
          license_id: "t.license_id || '.' || g.value",
          identifier: "''",
        },
      };
      for (const table of ['licenses', 'license_versions']) {
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
        await k.raw(
          `insert into ${table} (${columns.join(', ')})
           select ${columns.map((c) => overrides[table]?.[c] ?? `t.${c}`).join(', ')}
             from ${series(COPIES)} cross join ${table} t order by g.value`,
        );
      }
      const at = pg ? 'now()' : "'2026-01-01T00:00:00.000Z'";
      const state = (n: string, done: string) =>
        `case when ${n} % ${OPEN_EVERY} = 0 then 'pending' else '${done}' end`;
      await k.raw(
        `insert into deliveries (version_id, target, state, attempts, reasons, created_at, updated_at)
         select version_id, 'province',
                case when version_id % ${OPEN_EVERY} = ${OPEN_EVERY / 2} then 'submitted'
                     else ${state('version_id', 'accepted')} end, 0, '[]', ${at}, ${at}
           from license_versions order by version_id`,
      );
      await k.raw(
        `insert into reminders (reminder_key, license_id, version, pipeline, target, key_target, threshold,
                                valid_to, days_left, due_day, state, attempts, created_at, updated_at)
         select 'L' || g.value || ':1:30', 'L' || g.value, 1, 'p', 'sms', 'sms', 30, '2027-01-01', 30,
                '2026-12-02', ${state('g.value', 'sent')}, 0, ${at}, ${at}
           from ${series(REMINDERS)}`,
      );
      await k.raw('analyze');

      const count = async (table: string) =>
        Number(((await k(table).count({ n: '*' })) as { n: unknown }[])[0]?.n);
      expect(await count('deliveries')).toBe(SEED * (COPIES + 1));
      expect(await count('reminders')).toBe(REMINDERS);
      const wave: { license_id: string; version: unknown }[] = await k('deliveries as d')
        .join('license_versions as v', 'v.version_id', 'd.version_id')
        .where('d.state', 'pending')
        .orderBy('d.version_id', 'desc')
        .limit(WAVE)
        .select('v.license_id', 'v.version');
      deliveryKeys = wave.map((r) => deliveryKey(r.license_id, Number(r.version), 'province'));
      reminderKeys = Array.from({ length: WAVE }, (_, i) => `L${REMINDERS - i * OPEN_EVERY}:1:30`);

      k.on('query', (q: { sql: string; bindings?: readonly unknown[] }) =>
        seen.push({ sql: q.sql, bindings: q.bindings ?? [] }),
      );
      db = createDb({
        knex: k,
        dialect: backend.name,
        maxParams: pg ? 65_535 : 32_766,
        maxRows: Number.POSITIVE_INFINITY,
        log: quietLogger,
        exclusive: (work) => work(),
      });
    }, 180_000);

    afterAll(async () => {
      await k?.destroy();
      await database?.dispose();
    });

    /** The scans of the leased tables in the plan of each statement `work` issued that reads or writes one. */
    async function plansOf(work: () => Promise<unknown>): Promise<{ sql: string; scans: Scan[] }[]> {
      seen.length = 0;
      await work();
      const statements = seen.filter(
        (s) =>
          /^\s*(select|update)\b/i.test(s.sql) &&
          /\b(from|update|join) [`"]?(deliveries|reminders)\b/i.test(s.sql),
      );
      expect(statements.length).toBeGreaterThan(0);
      // Settings the call made for its transaction (`set local`) are made again around each plan.
      const settings = seen.filter((s) => /^\s*set\b/i.test(s.sql));
      const out: { sql: string; scans: Scan[] }[] = [];
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
          // SQLite names a table by its alias where the statement gives one (`deliveries as d`).
          const names = new Set<string>(LEASED);
          for (const m of s.sql.matchAll(/[`"]?(deliveries|reminders)[`"]? as [`"]?(\w+)/gi))
            if (m[2]) names.add(m[2]);
          const own = rows
            .map((r) => r.detail)
            .filter((d) => /^(SCAN|SEARCH) /.test(d) && names.has(d.split(' ')[1] ?? ''));
          out.push({
            sql: shown,
            scans: own.map((text) => {
              const table = LEASED.find((t) => text.includes(`SEARCH ${t} `) || text.includes(`SCAN ${t}`));
              return { table: table ?? 'deliveries', text, cond: text.replace(/^[^(]*/, ''), read: 0 };
            }),
          });
        }
      }
      return out;
    }

    /**
     * Every statement reaches its rows through the table's key, none by reading the whole table or
     * every open row of a target (an index on the state), and reads about as many rows as it names.
     */
    function expectIndexed(plans: readonly { sql: string; scans: Scan[] }[]): void {
      for (const p of plans) {
        const shown = `${p.sql}: ${p.scans.map((s) => `${s.text}, ${s.read} rows read`).join('; ')}`;
        expect(p.scans.length, shown).toBeGreaterThan(0);
        for (const scan of p.scans) {
          if (pg) expect(scan.text, shown).toMatch(/^(Index Scan|Index Only Scan|Bitmap Heap Scan) on /);
          else
            expect(scan.text, shown).toMatch(
              /^SEARCH \w+ USING (INDEX|PRIMARY KEY|COVERING INDEX|INTEGER PRIMARY KEY)/,
            );
          const key = KEY[scan.table] ?? '';
          expect(scan.cond, shown).toMatch(pg ? new RegExp(`\\b${key} = `) : new RegExp(`\\b${key}=`));
          expect(scan.read, shown).toBeLessThanOrEqual(MAX_READ);
        }
      }
    }

    it('claims and releases a wave of deliveries through their key', async () => {
      let claimed: string[] = [];
      expectIndexed(
        await plansOf(async () => {
          claimed = await claimDeliveries(db, deliveryKeys, 'sender-a', 60_000);
        }),
      );
      expect(claimed).toHaveLength(WAVE);
      expectIndexed(await plansOf(() => releaseDeliveries(db, deliveryKeys, 'sender-a')));
      // Claimed again by the other sender: its lease is the one the outcomes below respect.
      expect(await claimDeliveries(db, deliveryKeys, 'sender-b', 60_000)).toHaveLength(WAVE);
    });

    it('records a wave of attempts and outcomes through the key', async () => {
      expectIndexed(await plansOf(() => recordDeliveryAttempt(db, deliveryKeys, 'platform: timed out')));
      let changed: string[] = [];
      expectIndexed(
        await plansOf(async () => {
          changed = await recordDeliveryOutcomes(
            db,
            deliveryKeys.map((key) => ({
              key,
              state: 'submitted',
              from: 'pending',
              unleased: { owner: 'sender-b' },
            })),
          );
        }),
      );
      expect(changed).toHaveLength(WAVE);
      // A status request that failed (deliver-polls.ts): an attempt on the wave, now `submitted`.
      expectIndexed(
        await plansOf(() => recordDeliveryAttempt(db, deliveryKeys, 'platform: status unknown', 'submitted')),
      );
    });

    it('reads a wave of deliveries back through their key', async () => {
      // Each wave a sender ensures its rows and reads them back (deliver.ts), as it claims them.
      const versionIds = (await resolveDeliveryKeys(db, deliveryKeys)).map((r) => r.versionId);
      let ensured: unknown[] = [];
      expectIndexed(
        await plansOf(async () => {
          ensured = await ensureDeliveries(db, versionIds, 'province');
        }),
      );
      expect(ensured).toHaveLength(WAVE);
      // Whether each one's predecessor landed (deliver.ts planWaves): a first version has none.
      expectIndexed(await plansOf(() => deliveryPredecessors(db, versionIds, 'province')));
      let read: unknown[] = [];
      expectIndexed(
        await plansOf(async () => {
          read = await getDeliveries(db, deliveryKeys);
        }),
      );
      expect(read).toHaveLength(WAVE);
    });

    it('claims and releases a wave of reminders through their key', async () => {
      let claimed: string[] = [];
      expectIndexed(
        await plansOf(async () => {
          claimed = (await claimReminders(db, reminderKeys, 'tick-a', 60_000)).claimed;
        }),
      );
      expect(claimed).toHaveLength(WAVE);
      expectIndexed(await plansOf(() => releaseReminders(db, reminderKeys, 'tick-a')));
    });
  });
}
