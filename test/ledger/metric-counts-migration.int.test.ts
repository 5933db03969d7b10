/**
 * Migration 045 on a ledger written before it, on both backends: the quarantined-rows totals start
 * from the quarantine records the ledger holds (each record once per distinct code, as
 * `rows_quarantined_total` counted them before), and the runs ended abandoned count as failed in
 * the run totals, so neither counter drops at the upgrade. Pages committed after it add to the
 * totals. Down and up again gives the same. A run ended abandoned after it by a process of the
 * previous release (still running on another host) counts too.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex, undoMigrationsSince } from './raw-knex.js';

const P = 'food-business-licenses';

const byKey = (rows: { pipeline: string; code: string; count: number }[]) =>
  Object.fromEntries(rows.map((r) => [`${r.pipeline}/${r.code}`, r.count]));

describe.each(BACKENDS)('migration 045, metric counts ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;

  const undo = () => undoMigrationsSince(raw, '045-metric-counts');

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.close();
    raw = rawKnex(database.url);
    await undo();
    // Rows as the previous release wrote them.
    const at = new Date().toISOString();
    await raw('runs').insert([
      { run_id: 'r1', pipeline: P, mode: 'incremental', state: 'abandoned', started_at: at, finished_at: at },
      { run_id: 'r2', pipeline: P, mode: 'incremental', state: 'failed', started_at: at, finished_at: at },
      { run_id: 'r3', pipeline: P, mode: 'incremental', state: 'done', started_at: at, finished_at: at },
    ]);
    const reasons = (codes: string[]) => JSON.stringify(codes.map((code) => ({ code, message: 'm' })));
    await raw('quarantine').insert([
      { run_id: 'r1', pipeline: P, source_key: '1', reasons: reasons(['LB_MAP_DATE']), created_at: at },
      {
        run_id: 'r1',
        pipeline: P,
        source_key: '2',
        reasons: reasons(['LB_MAP_DATE', 'LB_HOLDER_ID_CHECK', 'LB_MAP_DATE']),
        created_at: at,
      },
      { run_id: 'r2', pipeline: 'other', source_key: '1', reasons: 'not json', created_at: at },
    ]);
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  const expected = { [`${P}/LB_MAP_DATE`]: 2, [`${P}/LB_HOLDER_ID_CHECK`]: 1, 'other/LB_UNKNOWN': 1 };

  it('starts the totals from the records and counts the abandoned run as failed', async () => {
    expect(byKey(await ledger.quarantineReasonTotals())).toEqual(expected);
    const [totals] = (await ledger.runTotals()).filter((t) => t.pipeline === P);
    expect([totals?.runs, totals?.failedRuns]).toEqual([3, 2]);
  });

  it('adds the pages committed after it', async () => {
    await ledger.startRun({ runId: 'r4', pipeline: P, mode: 'incremental' });
    await ledger.commitPage({
      pipeline: P,
      runId: 'r4',
      checkpoint: encodeKeyPosition({ cursor: null, key: '9' }),
      rowsRead: 1,
      candidates: [],
      quarantined: [{ sourceKey: '9', reasons: [{ code: 'LB_MAP_DATE', message: 'bad date' }] }],
    });
    expect(byKey(await ledger.quarantineReasonTotals())).toMatchObject({ [`${P}/LB_MAP_DATE`]: 3 });
  });

  it('down and up again counts the records again', async () => {
    await ledger.close();
    await undo();
    ledger = await openLedger(database.url, { logger: quietLogger });
    expect(byKey(await ledger.quarantineReasonTotals())).toEqual({ ...expected, [`${P}/LB_MAP_DATE`]: 3 });
    const [totals] = (await ledger.runTotals()).filter((t) => t.pipeline === P);
    expect([totals?.runs, totals?.failedRuns]).toEqual([4, 2]);
  });

  it('counts a run that a process of the previous release, still running, ends abandoned', async () => {
    // That release's finishRun writes the state alone: abandoned_at stays null.
    await ledger.startRun({ runId: 'r5', pipeline: P, mode: 'incremental' });
    await raw('runs')
      .where({ run_id: 'r5' })
      .update({ state: 'abandoned', finished_at: new Date().toISOString() });
    const [totals] = (await ledger.runTotals()).filter((t) => t.pipeline === P);
    expect([totals?.runs, totals?.failedRuns]).toEqual([5, 3]);
  });

  it('still counts that run once it is taken up again and finished: the counter never goes down', async () => {
    await ledger.startRun({ runId: 'r5', pipeline: P, mode: 'incremental', owner: 'w2' });
    await ledger.finishRun('r5', { state: 'done' });
    const [totals] = (await ledger.runTotals()).filter((t) => t.pipeline === P);
    expect([totals?.runs, totals?.failedRuns]).toEqual([5, 3]);
  });
});
