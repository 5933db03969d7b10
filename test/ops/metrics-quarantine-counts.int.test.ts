/**
 * `rows_quarantined_total` counts every quarantined row read once per reason code, as the runs'
 * quarantined counts do, on both ledger backends: a row read again in the same run (its quarantine
 * record updated in place) counts again, and on PostgreSQL a page that took its quarantine ids
 * before another pipeline's page but committed after it (and after a scrape) is not missed. A
 * `serve` started afresh reads the same totals: the counter never jumps. Needs Redis.
 */
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { QuarantineReason } from '../../ledger/ledger.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { BACKENDS, type Backend, PG_URL, postgresBackend, type TestDatabase } from '../ledger/backends.js';
import { until } from '../support/until.js';
import { everyScrapeFresh, type MetricsSetUp, metricsSetUp, quietLogger } from './ops-fixtures.js';

const A = 'food-business-licenses';
const B = 'other-licenses';

/** `rows_quarantined_total` series, `pipeline/reason` to value. */
function quarantined(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^licbridge_rows_quarantined_total\{pipeline="([^"]+)",reason="([^"]+)"\} (\S+)$/.exec(line);
    if (m) out[`${m[1]}/${m[2]}`] = Number(m[3]);
  }
  return out;
}

const date = { code: 'LB_MAP_DATE', message: 'bad date' };
const holder = { code: 'LB_HOLDER_ID_CHECK', message: 'bad check character' };

/** A ledger of `backend` with two runs started, the demo's config, and one `serve`'s metrics. */
function setUp(backend: Backend) {
  const t = metricsSetUp({ configure: everyScrapeFresh, backend }) as MetricsSetUp & {
    database: TestDatabase;
    /** One `serve`'s metrics, kept across scrapes as a running `serve` keeps them. */
    metrics: ReturnType<typeof createMetrics>;
    page(pipeline: string, runId: string, keys: string[], reasons?: QuarantineReason[]): Promise<unknown>;
    scrape(metrics?: ReturnType<typeof createMetrics>): Promise<Record<string, number>>;
  };
  beforeAll(async () => {
    t.metrics = createMetrics({
      config: t.config,
      ledger: t.ledger,
      queues: t.queues,
      logger: quietLogger(),
    });
    t.page = (pipeline, runId, keys, reasons = [date]) =>
      t.ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: keys[keys.length - 1] as string }),
        rowsRead: keys.length,
        candidates: [],
        quarantined: keys.map((sourceKey) => ({ sourceKey, reasons })),
      });
    t.scrape = async (metrics = t.metrics) => quarantined(await metrics.registry.metrics());
    await t.ledger.startRun({ runId: 'a-1', pipeline: A, mode: 'incremental' });
    await t.ledger.startRun({ runId: 'b-1', pipeline: B, mode: 'incremental' });
  }, 60_000);
  return t;
}

describe.each(BACKENDS)('metrics: rows_quarantined_total counts every quarantined row ($name)', (backend) => {
  const t = setUp(backend);

  it('counts a row once under each of its codes, and a row read again in its run again', async () => {
    await t.page(A, 'a-1', ['1', '2']);
    await t.page(A, 'a-1', ['3'], [date, holder, date]);
    expect(await t.scrape()).toEqual({ [`${A}/LB_MAP_DATE`]: 3, [`${A}/LB_HOLDER_ID_CHECK`]: 1 });
    // Key 2 changed at the source while the run read it and is read again: its record is updated.
    await t.page(A, 'a-1', ['2', '4']);
    expect(await t.scrape()).toEqual({ [`${A}/LB_MAP_DATE`]: 5, [`${A}/LB_HOLDER_ID_CHECK`]: 1 });
    expect((await t.ledger.getRun('a-1'))?.quarantined).toBe(5);
  });
});

describe('metrics: rows_quarantined_total, pages committed out of id order (postgres)', () => {
  const t = setUp(postgresBackend);

  it('a page committing after a later page of another pipeline and a scrape is still counted', async () => {
    await t.page(A, 'a-1', ['1']);
    expect(await t.scrape()).toEqual({ [`${A}/LB_MAP_DATE`]: 1 });
    // Holds run a-1's row: A's page takes its quarantine ids, then waits to count itself in its run.
    const lock = new pg.Client({ connectionString: PG_URL });
    await lock.connect();
    const schema = new URL(t.database.url).searchParams.get('schema') as string;
    try {
      await lock.query(`set search_path to "${schema}"`);
      await lock.query('begin');
      await lock.query(`select 1 from runs where run_id = 'a-1' for update`);
      const pid = (await lock.query('select pg_backend_pid() as pid')).rows[0].pid as number;
      const first = t.page(A, 'a-1', ['5', '6']);
      await until(async () => {
        // Inside a transaction pg_stat_activity lists the backends of its first read only: a
        // connection the ledger's pool opened since would never be seen waiting.
        await lock.query('select pg_stat_clear_snapshot()');
        const r = await lock.query(
          'select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
          [pid],
        );
        return (r.rows[0].n as number) > 0;
      });
      await t.page(B, 'b-1', ['1']);
      expect(await t.scrape()).toEqual({ [`${A}/LB_MAP_DATE`]: 1, [`${B}/LB_MAP_DATE`]: 1 });
      await lock.query('rollback');
      await first;
    } finally {
      await lock.end();
    }
    const expected = { [`${A}/LB_MAP_DATE`]: 3, [`${B}/LB_MAP_DATE`]: 1 };
    expect(await t.scrape()).toEqual(expected);
    // A `serve` started now reads the same: no jump at a restart.
    const restarted = createMetrics({
      config: t.config,
      ledger: t.ledger,
      queues: t.queues,
      logger: quietLogger(),
    });
    expect(await t.scrape(restarted)).toEqual(expected);
  });
});
