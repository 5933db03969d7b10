/**
 * Migration 031 and the count it keeps, on both backends. A ledger written before it upgrades with
 * its runs counting no file read with absent elements; a page telling of a file counts it in its
 * run once, however often later pages tell of it again, and the distinct element names are kept
 * (at most ABSENT_ELEMENT_NAMES_KEPT); another run counts the same file for itself. Down drops it.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { AbsentElementsInFile, Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { ABSENT_ELEMENT_NAMES_KEPT } from '../../ledger/run-absent-elements.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const M031 = MIGRATIONS.find((m) => m.name === '031-run-absent-elements');

async function undo031(raw: Knex): Promise<void> {
  await M031?.down(raw);
  await raw('ledger_migrations').where({ name: '031-run-absent-elements' }).delete();
}

describe.each(BACKENDS)('export files read with absent elements, by run ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = uniqueName('absent');
  const oldRun = uniqueName('run');
  let page = 0;

  const commit = (runId: string, absentElements?: AbsentElementsInFile[]) => {
    page += 1;
    return ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: String(page) }),
      rowsRead: 1,
      candidates: candidates(page, 1, { pipeline, runId }),
      quarantined: [],
      ...(absentElements ? { absentElements } : {}),
    });
  };

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('upgrades a ledger written before it: its runs count no such file', async () => {
    await ledger.close();
    const raw = rawKnex(database.url);
    try {
      // A ledger as the release before 031 left it, with a run that read rows.
      await undo031(raw);
      expect(Object.keys(await raw('runs').columnInfo())).not.toContain('absent_files');
      expect(await raw.schema.hasTable('run_absent_files')).toBe(false);
      await raw('runs').insert({
        run_id: oldRun,
        pipeline,
        mode: 'incremental',
        state: 'done',
        read_count: 3,
        started_at: new Date().toISOString(),
      });
    } finally {
      await raw.destroy();
    }
    ledger = await openLedger(database.url, { logger: quietLogger });
    const run = await ledger.getRun(oldRun);
    expect(run?.read).toBe(3);
    expect(run).not.toHaveProperty('absentElements');
  });

  it('counts a file once per run, keeps the distinct names, and counts it again in another run', async () => {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await commit(runId);
    expect(await ledger.getRun(runId)).not.toHaveProperty('absentElements');
    await commit(runId, [{ file: 'E1.xml', elements: ['UpdTime', 'JYXM'] }]);
    // The same file told of again (a read resumed inside it), and a second file.
    await commit(runId, [{ file: 'E1.xml', elements: ['UpdTime', 'JYXM'] }]);
    await commit(runId, [{ file: 'E2.xml', elements: ['JYXM', 'BZ'] }]);
    expect((await ledger.getRun(runId))?.absentElements).toEqual({
      files: 2,
      elements: ['UpdTime', 'JYXM', 'BZ'],
    });
    expect((await ledger.getRun(runId))?.read).toBe(4);

    const next = uniqueName('run');
    await ledger.startRun({ runId: next, pipeline, mode: 'full' });
    await commit(next, [{ file: 'E1.xml', elements: ['JYXM'] }]);
    expect((await ledger.getRun(next))?.absentElements).toEqual({ files: 1, elements: ['JYXM'] });
  });

  it('keeps at most the bounded number of names', async () => {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const names = Array.from({ length: ABSENT_ELEMENT_NAMES_KEPT + 10 }, (_, i) => `F${i}`);
    await commit(runId, [{ file: 'wide.xml', elements: names }]);
    await commit(runId, [{ file: 'wider.xml', elements: ['G1'] }]);
    expect((await ledger.getRun(runId))?.absentElements).toEqual({
      files: 2,
      elements: names.slice(0, ABSENT_ELEMENT_NAMES_KEPT),
    });
  });

  it('down drops the columns and the table, and up brings them back', async () => {
    await ledger.close();
    const raw = rawKnex(database.url);
    try {
      await M031?.down(raw);
      expect(Object.keys(await raw('runs').columnInfo())).not.toContain('absent_elements');
      expect(await raw.schema.hasTable('run_absent_files')).toBe(false);
      await M031?.up(raw);
    } finally {
      await raw.destroy();
    }
    ledger = await openLedger(database.url, { logger: quietLogger });
    expect(await ledger.getRun(oldRun)).not.toHaveProperty('absentElements');
  });
});
