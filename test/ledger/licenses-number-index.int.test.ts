/**
 * Migration 028: licenses are indexed by `number` alone for the predecessor lookup, not by
 * `(pipeline, number)`, which repeated the pipeline's name for every license; undone, the old
 * index comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { queryPlan, rawKnex } from './raw-knex.js';

const M028 = MIGRATIONS.find((m) => m.name === '028-licenses-number-index');
/** Migration 037 indexes the number by its hash on PostgreSQL (hashed-key-indexes test): undone here first. */
const M037 = MIGRATIONS.find((m) => m.name === '037-hashed-key-indexes');

const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: T[] }).rows);

describe.each(BACKENDS)('migration 028: licenses by number ($name)', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
    const raw = rawKnex(database.url);
    await M037?.down(raw);
    await raw.destroy();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  /** Each index of `licenses` that holds `number`, by name, with its columns. */
  const numberIndexes = async (): Promise<Record<string, string[]>> => {
    const raw = rawKnex(database.url);
    try {
      const out: Record<string, string[]> = {};
      if (backend.name === 'sqlite') {
        const list = rowsOf<{ name: string }>(
          await raw.raw(`select name from pragma_index_list('licenses')`),
        );
        for (const { name } of list) {
          const cols = rowsOf<{ name: string }>(
            await raw.raw(`select name from pragma_index_info('${name}')`),
          );
          out[name] = cols.map((c) => c.name);
        }
      } else {
        const res = await raw.raw(
          `select i.relname as name, array_agg(a.attname::text order by k.n) as cols
             from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
             join unnest(x.indkey) with ordinality as k(attnum, n) on true
             join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
            where t.relname = 'licenses' and t.relnamespace = current_schema()::regnamespace
            group by i.relname`,
        );
        for (const r of rowsOf<{ name: string; cols: string[] }>(res)) out[r.name] = r.cols;
      }
      return Object.fromEntries(Object.entries(out).filter(([, cols]) => cols.includes('number')));
    } finally {
      await raw.destroy();
    }
  };

  it('indexes licenses by number alone, and undoes to (pipeline, number)', async () => {
    expect(await numberIndexes()).toEqual({ licenses_number_idx: ['number'] });
    const raw = rawKnex(database.url);
    try {
      await M028?.down(raw);
      expect(await numberIndexes()).toEqual({ licenses_pipeline_number_idx: ['pipeline', 'number'] });
      await M028?.up(raw);
    } finally {
      await raw.destroy();
    }
    expect(await numberIndexes()).toEqual({ licenses_number_idx: ['number'] });
  });

  it('finds the licenses of a number within pipelines through the index', async () => {
    const raw = rawKnex(database.url);
    try {
      // The predecessor lookup's shape (ledger/predecessors.ts), on a table too small for any plan
      // to prefer an index by itself: a scan of the table is what the index is there to spare.
      const lookup = `select l.license_id from licenses l
          where l.pipeline in ('a', 'b') and l.number in ('N1', 'N2') and l.status not in ('revoked')`;
      const plan = await queryPlan(raw, raw.raw(lookup), backend.name === 'sqlite');
      if (backend.name === 'sqlite') {
        expect(plan).toMatch(/USING INDEX licenses_number_idx/);
      } else {
        expect(plan).toMatch(/licenses_number_idx/);
      }
    } finally {
      await raw.destroy();
    }
  });
});
