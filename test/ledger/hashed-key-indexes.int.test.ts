/**
 * Migration 037 (ledger/hashed-keys.ts): on PostgreSQL a version's run and a license's number are
 * indexed by a 64-bit hash of their text. The lookups the ledger makes by them stay on those
 * indexes and find what the text finds, including rows whose text differs only where a hash would
 * not tell (another run, a number sharing a prefix); undone, the indexes hold the text again.
 * SQLite keeps its indexes on the text.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { heldUnder, renewalsUnder } from '../../ledger/predecessors.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';
import { queryPlan, rawKnex } from './raw-knex.js';

const M037 = MIGRATIONS.find((m) => m.name === '037-hashed-key-indexes');
const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: T[] }).rows);

/** Each index's definition, by name: PostgreSQL's `indexdef`, SQLite's columns. */
async function indexes(k: Knex, sqlite: boolean): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of ['license_versions_run_idx', 'licenses_number_idx']) {
    if (sqlite) {
      const cols = rowsOf<{ name: string }>(await k.raw(`select name from pragma_index_info('${name}')`));
      out[name] = cols.map((c) => c.name).join(', ');
    } else {
      const res = await k.raw(
        'select indexdef from pg_indexes where indexname = ? and schemaname = current_schema()',
        [name],
      );
      // The key alone: not its storage settings (migration 053 fills the run's index whole).
      out[name] = String(rowsOf<{ indexdef: string }>(res)[0]?.indexdef ?? '')
        .replace(/^.* USING btree /, '')
        .replace(/ WITH \(.*\)$/, '');
    }
  }
  return out;
}

/** The plan PostgreSQL picks for a query when a sequential scan is the last resort. */
const pgPlan = (k: Knex, q: Knex.QueryBuilder): Promise<string> => queryPlan(k, q, false);

describe.each(BACKENDS)('migration 037: keys indexed by their hash ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const pipeline = uniqueName('m037');
  const runs = [uniqueName('run'), `repair-${uniqueName('run')}`];
  const made: number[][] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    for (const [n, runId] of runs.entries()) {
      await ledger.startRun({ runId, pipeline, mode: 'incremental' });
      const result = await ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: `k${n}` }),
        rowsRead: 3,
        candidates: candidates(1 + n * 3, 3, { pipeline, runId }),
        quarantined: [],
      });
      made.push(result.created.map((c) => c.versionId));
    }
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it("finds each run's own versions", async () => {
    for (const [n, runId] of runs.entries()) {
      expect(await ledger.runVersionIds(runId)).toEqual(made[n]);
      const progress = await ledger.runProgress(runId, 'no-such-seal', []);
      expect(progress.created).toBe(3);
    }
    expect(await ledger.runVersionIds(`${runs[0]}x`)).toEqual([]);
  });

  it('finds the licenses of a number, and none of a number it only begins', async () => {
    const numbers: { number: string; license_id: string }[] = await raw('licenses')
      .select('number', 'license_id')
      .where({ pipeline })
      .orderBy('license_id');
    const first = numbers[0] as { number: string; license_id: string };
    const held: { license_id: string }[] = await heldUnder(raw, 'number', pipeline, [first.number]);
    expect(held.map((r) => r.license_id)).toEqual([first.license_id]);
    const renewals: { license_id: string }[] = await renewalsUnder(raw, [pipeline], [first.number]);
    expect(renewals.map((r) => r.license_id)).toEqual([first.license_id]);
    expect(await heldUnder(raw, 'number', pipeline, [first.number.slice(0, -1)])).toEqual([]);
  });

  if (backend.name === 'sqlite') {
    it('leaves the SQLite indexes on the text', async () => {
      expect(await indexes(raw, true)).toEqual({
        license_versions_run_idx: 'run_id',
        licenses_number_idx: 'number',
      });
    });
    return;
  }

  it('indexes the run and the number by their hash', async () => {
    expect(await indexes(raw, false)).toEqual({
      license_versions_run_idx: '(hashtextextended(run_id, (0)::bigint), version_id)',
      licenses_number_idx: '(hashtextextended(number, (0)::bigint))',
    });
  });

  it("serves the lookups from them: a run's versions from a version on, a license by number", async () => {
    const { whereHashedKey } = await import('../../ledger/hashed-keys.js');
    const ofRun = whereHashedKey(
      raw,
      raw('license_versions as v').count({ n: '*' }),
      'v.run_id',
      runs[0] as string,
    );
    expect(await pgPlan(raw, ofRun.andWhere('v.version_id', '>=', 2))).toContain('license_versions_run_idx');
    expect(await pgPlan(raw, heldUnder(raw, 'number', pipeline, ['N1', 'N2']))).toContain(
      'licenses_number_idx',
    );
    expect(await pgPlan(raw, renewalsUnder(raw, [pipeline], ['N1']))).toContain('licenses_number_idx');
  });

  it('goes down to the indexes on the text, and up again', async () => {
    await M037?.down(raw);
    expect(await indexes(raw, false)).toEqual({
      license_versions_run_idx: '(run_id, version_id)',
      licenses_number_idx: '(number)',
    });
    await M037?.up(raw);
    expect(await indexes(raw, false)).toEqual({
      license_versions_run_idx: '(hashtextextended(run_id, (0)::bigint), version_id)',
      licenses_number_idx: '(hashtextextended(number, (0)::bigint))',
    });
    expect(await ledger.runVersionIds(runs[1] as string)).toEqual(made[1]);
  });
});
