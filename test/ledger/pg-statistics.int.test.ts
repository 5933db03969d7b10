/**
 * A PostgreSQL ledger that has just taken in many licenses has no statistics yet (autovacuum
 * comes round about once a minute), and its backlog anti-joins were then planned as nested loops
 * over a barely selective index: minutes on 100,000 licenses. The backlog queries analyze tables
 * that changed much first; this checks they do, and that they leave fresh tables alone.
 *
 * A backend hands its table counters to the shared statistics when a transaction ends, but at
 * most once a second; counters held back are handed over after ten idle seconds, or when the
 * backend exits. The tests close the ledger's connections after writing (see `settle`), so the
 * counters are there at once instead of ten seconds later. ANALYZE itself counts in the shared
 * statistics as it runs (PostgreSQL 15 and later; older servers report through the collector).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { PG_URL, postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';

describe('ledger statistics before the backlog queries (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  let client: pg.Client;
  let schema: string;

  let sharedAnalyze = false;

  beforeAll(async () => {
    database = await postgresBackend.create();
    schema = new URL(database.url).searchParams.get('schema') ?? '';
    ledger = await openLedger(database.url, { logger: quietLogger });
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    const version = await client.query<{ n: string }>("select current_setting('server_version_num') as n");
    sharedAnalyze = Number(version.rows[0]?.n) >= 150_000;
  });

  /**
   * Closes the ledger's connections, once every call on them has finished, and opens it again: an
   * exiting backend hands over the counters it still holds.
   */
  async function settle(): Promise<void> {
    await ledger.close();
    ledger = await openLedger(database.url, { logger: quietLogger });
  }

  afterAll(async () => {
    await client?.end();
    await ledger?.close();
    await database?.dispose();
  });

  /** How often each table was analyzed, by hand or by autovacuum. */
  async function analyzed(): Promise<Record<string, number>> {
    const res = await client.query<{ relname: string; n: string }>(
      `select relname, analyze_count + autoanalyze_count as n from pg_stat_user_tables
        where schemaname = $1 and relname in ('license_versions', 'signatures', 'deliveries', 'quarantine')`,
      [schema],
    );
    return Object.fromEntries(res.rows.map((r) => [r.relname, Number(r.n)]));
  }

  /** The analysis counts once they exceed `than` for `table` (an idle backend reports its counters within ten seconds). */
  async function analyzedBeyond(table: string, than: number): Promise<Record<string, number>> {
    let now = await analyzed();
    for (let i = 0; i < 200 && (now[table] ?? 0) <= than; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await analyzed();
    }
    return now;
  }

  /** Waits until the statistics have counted the writes (an idle backend reports within ten seconds). */
  async function counted(table: string, rows: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const res = await client.query<{ n: string }>(
        'select n_mod_since_analyze as n from pg_stat_user_tables where schemaname = $1 and relname = $2',
        [schema, table],
      );
      if (Number(res.rows[0]?.n ?? 0) >= rows) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('analyzes the tables a large page of new licenses changed, then not again while they are fresh', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'full' });
    const { created } = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '3000' }),
      rowsRead: 3000,
      candidates: candidates(1, 3000, { pipeline }),
      quarantined: [],
    });
    await ledger.recordSignatures(created.map((c) => signature(c.versionId, 'seal-s')));
    await settle();
    await counted('signatures', 3000);
    const before = await analyzed();

    const unsigned = await ledger.unsignedVersionIds({ sealId: 'seal-s', pipeline });
    expect(unsigned).toEqual([]);
    await analyzedBeyond('license_versions', before.license_versions ?? 0);
    const after = await analyzedBeyond('signatures', before.signatures ?? 0);
    expect(after.license_versions).toBeGreaterThan(before.license_versions ?? 0);
    expect(after.signatures).toBeGreaterThan(before.signatures ?? 0);

    // Fresh now: the next lookups only read the counters.
    expect(await ledger.pipelineBacklog(pipeline, 'seal-s', ['province'])).toEqual({
      unsigned: 0,
      undelivered: { province: 3000 },
    });
    // Any ANALYZE the lookups ran has finished once the ledger is closed, and is counted then
    // (through the collector before PostgreSQL 15: reported within ten seconds).
    await settle();
    if (!sharedAnalyze) await new Promise((r) => setTimeout(r, 11_000));
    const again = await analyzed();
    expect(again.license_versions).toBe(after.license_versions);
    expect(again.signatures).toBe(after.signatures);
  });

  it('analyzes a grown quarantine before a page resolves records in it', async () => {
    const pipeline = uniqueName('q');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'full' });
    const keys = candidates(1, 400, { pipeline }).map((c) => c.sourceKey);
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '400' }),
      rowsRead: 400,
      candidates: [],
      quarantined: keys.map((sourceKey) => ({
        sourceKey,
        reasons: [{ code: 'LB_MAPPING', message: 'test', path: 'holder.id' }],
      })),
    });
    await settle();
    await counted('quarantine', 400);
    const before = await analyzed();
    // The rows now map cleanly: the page resolves their open records, after analyzing the table.
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '800' }),
      rowsRead: 400,
      candidates: candidates(1, 400, { pipeline }),
      quarantined: [],
    });
    const after = await analyzedBeyond('quarantine', before.quarantine ?? 0);
    expect(after.quarantine).toBeGreaterThan(before.quarantine ?? 0);
    const open = await client.query<{ n: string }>(
      `select count(*) as n from "${schema}".quarantine where pipeline = $1 and resolved_at is null`,
      [pipeline],
    );
    expect(Number(open.rows[0]?.n)).toBe(0);
  });
});
