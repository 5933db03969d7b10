/**
 * `/metrics` carries the deadlines `licbridge status` watches: changes not accepted in time per
 * pipeline and target, open and overdue objections, and whether the calendar knows the current
 * year. The day judged is pinned (LICBRIDGE_TODAY), so the test reads the same on any date: with the
 * wall clock, a change read in late December runs into a year the calendar lacks. The late items
 * are dated 30 calendar days before it, past both deadlines whatever the holidays (the longest
 * block in a notice is 9 days); the one on time is read on the day itself.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { candidates } from '../ledger/fixtures.js';
import { metricValue, quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
/** A Monday of a year the shipped calendar holds (pipelines/lifecycle/calendar-cn.ts), its clocks ending in it. */
const DAY = '2026-11-16';

describe('/metrics: the deadlines', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let ledger: Ledger;
  let queues: QueueSet;
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    process.env.LICBRIDGE_TODAY = DAY;
    ws = await createDemoWorkspace({ rows: 5 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    ledger = await openLedger(config.ledger.url);
    queues = createQueues(
      { host: '127.0.0.1', port: 6379, db: 0, maxRetriesPerRequest: null },
      config.queue.prefix,
      ['province'],
    );
  });
  afterAll(async () => {
    await queues?.close();
    await ledger?.close();
    await ws?.cleanup();
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
  });

  it('counts late changes and objections, and says whether the calendar knows this year', async () => {
    const scrape = () => createMetrics({ config, ledger, queues, logger: quietLogger() }).registry.metrics();
    await ledger.startRun({ runId: 'r1', pipeline: PIPELINE, mode: 'incremental' });
    const page = await ledger.commitPage({
      pipeline: PIPELINE,
      runId: 'r1',
      checkpoint: encodeKeyPosition({ cursor: null, key: '4' }),
      rowsRead: 4,
      candidates: candidates(1, 4, { pipeline: PIPELINE }),
      quarantined: [],
    });
    // Read on the pinned day itself (noon in Beijing): running, not late.
    const onTheDay = `${DAY}T04:00:00.000Z`;
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    const setCreated = (at: string, upTo: number) =>
      db.prepare('UPDATE license_versions SET created_at = ? WHERE version_id <= ?').run(at, upTo);
    setCreated(onTheDay, page.created[3]!.versionId);
    const first = await scrape();
    expect(metricValue(first, 'licbridge_overdue_changes', { pipeline: PIPELINE, target: 'province' })).toBe(
      undefined,
    );
    expect(metricValue(first, 'licbridge_objections', { state: 'open' })).toBe(0);

    const o = await ledger.openObjection({
      licenseId: page.created[0]!.licenseId,
      unit: 'u',
      reason: 'r',
      actor: 'operator:test',
    });
    const monthAgo = new Date(Date.parse(onTheDay) - 30 * 86_400_000).toISOString();
    try {
      setCreated(monthAgo, page.created[2]!.versionId);
      db.prepare('UPDATE objections SET opened_at = ? WHERE objection_id = ?').run(monthAgo, o.objectionId);
    } finally {
      db.close();
    }
    const late = await scrape();
    expect(metricValue(late, 'licbridge_overdue_changes', { pipeline: PIPELINE, target: 'province' })).toBe(
      3,
    );
    expect(metricValue(late, 'licbridge_objections', { state: 'open' })).toBe(1);
    expect(metricValue(late, 'licbridge_objections', { state: 'overdue' })).toBe(1);
    expect(metricValue(late, 'licbridge_attention', { kind: 'backlog-overdue' })).toBe(1);
    expect(metricValue(late, 'licbridge_attention', { kind: 'objection-overdue' })).toBe(1);
    // The shipped data holds 2026 (pipelines/lifecycle/calendar-cn.ts), and every clock running on
    // the pinned day ends in it.
    expect(metricValue(late, 'licbridge_calendar_year_known')).toBe(1);
  });
});
