/**
 * `quarantine resolve` closes a key's LB_VERSION_LIMIT records: one holding only that reason is
 * closed, one holding others too keeps them and stays open. It read the records, then closed those
 * holding only that reason by id. On PostgreSQL a job writing the same record in between (a sign
 * or deliver job adding LB_STORED_TEXT, ledger/quarantine-merge.ts) committed a reason the close
 * then shut away: the stored text's fault left the worklist unfixed. The records are now read
 * locked: the job's write is read, and its reason keeps the record open.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { until } from '../support/until.js';

describe('resolving a key while a job writes its record (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = `p${randomBytes(4).toString('hex')}`;
  const key = 'row-at-999';
  const limit = { code: 'LB_VERSION_LIMIT', message: 'ledger: license L holds version 999' };
  const stored = { code: 'LB_STORED_TEXT', message: 'ledger: stored text of L does not read' };

  beforeAll(async () => {
    database = await postgresBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.startRun({ runId: 'run-1', pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline,
      runId: 'run-1',
      checkpoint: encodeKeyPosition({ cursor: 'c1', key: 'k' }),
      rowsRead: 1,
      candidates: [],
      quarantined: [{ sourceKey: key, reasons: [limit] }],
    });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it("keeps the record open for the reason the job wrote, the limit's taken out", async () => {
    const raw = rawKnex(database.url);
    let job: Knex.Transaction | undefined;
    try {
      // The job's write, not yet committed, holds the record's row.
      job = await raw.transaction();
      await job('quarantine')
        .where({ pipeline, source_key: key })
        .update({ reasons: JSON.stringify([limit, stored]) });
      const jobPid = Number(
        ((await job.raw('select pg_backend_pid() as pid')) as { rows: { pid: number }[] }).rows[0]?.pid,
      );
      const resolving = ledger.resolveReason({ pipeline, code: 'LB_VERSION_LIMIT', sourceKey: key });
      await until(
        async () => {
          const { rows } = (await raw.raw(
            'select count(*)::int as n from pg_stat_activity where ? = any(pg_blocking_pids(pid))',
            [jobPid],
          )) as { rows: { n: number }[] };
          return (rows[0]?.n ?? 0) >= 1;
        },
        40_000,
        { what: 'the resolve waiting on the job' },
      );
      await job.commit();
      job = undefined;
      expect(await resolving).toMatchObject({ records: 1, keptOpen: 1 });
      const records = await ledger.quarantineHistory({ pipeline, sourceKey: key });
      expect(records.map((r) => [r.resolvedAt, r.reasons.map((x) => x.code)])).toEqual([
        [null, ['LB_STORED_TEXT']],
      ]);
    } finally {
      await job?.rollback();
      await raw.destroy();
    }
  });
});
