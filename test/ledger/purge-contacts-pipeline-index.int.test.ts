/**
 * Each tick deletes the contacts of the pipelines whose mappings read no contact any more
 * (ledger/holder-contacts.ts purgeHolderContacts, `where pipeline in (…)`), every tick, whether
 * they hold any or not. `holder_contacts` had no index on its pipeline (migration 060 indexed
 * `reminders` only): the delete read every contact of every pipeline, under SQLite's write lock,
 * each tick. Through `holder_contacts_pipeline_idx` it reads the pipeline's contacts alone. Plans
 * are the database's own for the statement the purge issued; on PostgreSQL it is run (rolled back)
 * and the rows it read counted.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { reminderStore } from '../../ledger/reminders.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { analyzeOwnTables, recordingDb, type Statement, seriesOf } from './plan-harness.js';
import { rawKnex } from './raw-knex.js';

/** Contacts of the pipeline that still reads them. */
const KEPT = 20_000;
/** Contacts of the pipeline whose mapping reads none any more. */
const GONE = 50;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Each scan of `holder_contacts` in an analyzed plan: its kind and index, and the rows it read. */
function contactScans(node: PlanNode): { text: string; read: number }[] {
  const index = node['Node Type'] === 'Bitmap Heap Scan' ? node.Plans?.[0] : node;
  const own =
    node['Relation Name'] === 'holder_contacts' && node['Node Type'] !== 'ModifyTable'
      ? [
          {
            text: `${node['Node Type']} using ${index?.['Index Name'] ?? '-'}`,
            read: (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'],
          },
        ]
      : [];
  return [...own, ...(node.Plans ?? []).flatMap(contactScans)];
}

for (const backend of BACKENDS) {
  describe(`purging the contacts of a pipeline that reads none (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let database: TestDatabase;
    let k: Knex;

    beforeAll(async () => {
      database = await backend.create();
      await (await openLedger(database.url, { logger: quietLogger })).close();
      k = rawKnex(database.url);
      const at = pg ? 'now()' : "'2026-01-01T00:00:00.000Z'";
      const pipelineOf = `case when g.value <= ${GONE} then 'gone' else 'kept' end`;
      // Valid licenses all: only the pipeline's purge deletes any of their contacts.
      await k.raw(
        `insert into licenses (license_id, pipeline, source_key, latest_version, content_hash, status,
                               created_at, updated_at, valid_to)
         select 'L' || g.value, ${pipelineOf}, 'K' || g.value, 1, 'h', 'valid', ${at}, ${at}, '2030-01-01'
           from ${seriesOf(pg, KEPT + GONE)}`,
      );
      await k.raw(
        `insert into holder_contacts (license_id, pipeline, contact, updated_at)
         select 'L' || g.value, ${pipelineOf}, '{"phone":"x"}', ${at} from ${seriesOf(pg, KEPT + GONE)}`,
      );
      await analyzeOwnTables(k, pg);
    }, 180_000);

    afterAll(async () => {
      await k?.destroy();
      await database?.dispose();
    });

    it("reads that pipeline's contacts through its index, not every contact", async () => {
      const seen: Statement[] = [];
      const store = reminderStore(recordingDb(k, backend.name, seen));
      expect(await store.purgeContacts(['gone'])).toBe(GONE);
      expect(Number((await k('holder_contacts').count({ n: '*' }))[0]?.n)).toBe(KEPT);
      const purge = seen.find(
        (s) => /^\s*delete\s+from\s+[`"]?holder_contacts\b/i.test(s.sql) && /\bpipeline\b/.test(s.sql),
      );
      if (!purge) throw new Error(`no delete by pipeline among ${seen.map((s) => s.sql).join('\n')}`);
      if (pg) {
        let plan: PlanNode | undefined;
        await k
          .transaction(async (t) => {
            const res = (await t.raw(`explain (analyze, format json) ${purge.sql.replace(/\$\d+/g, '?')}`, [
              ...purge.bindings,
            ] as Knex.RawBinding[])) as { rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[] };
            plan = res.rows[0]?.['QUERY PLAN'][0]?.Plan;
            throw new Error('rolled back');
          })
          .catch(() => undefined);
        if (!plan) throw new Error('no plan');
        const scans = contactScans(plan);
        const shown = JSON.stringify(scans);
        expect(scans.length, shown).toBeGreaterThan(0);
        for (const scan of scans) {
          expect(scan.text, shown).toMatch(/^(Index Scan|Index Only Scan|Bitmap Heap Scan) using /);
          expect(scan.read, shown).toBeLessThanOrEqual(2 * GONE);
        }
      } else {
        const plan = (
          (await k.raw(`explain query plan ${purge.sql}`, [...purge.bindings] as Knex.RawBinding[])) as {
            detail: string;
          }[]
        ).map((r) => r.detail);
        const scans = plan.filter((d) => /^(SCAN|SEARCH) holder_contacts\b/.test(d));
        expect(scans.length, plan.join('\n')).toBeGreaterThan(0);
        for (const d of scans)
          expect(d, plan.join('\n')).toMatch(/^SEARCH holder_contacts USING .*\(pipeline=\?\)/);
      }
    });
  });
}
