/**
 * The lock order of a tick's page (lifecycle.ts): the audit head last. The day's last page took it
 * early, to audit a license at version 999 it quarantined (`LB_VERSION_LIMIT`), and then set aside
 * a due license whose stored text is corrupt: that record's `LB_STORED_TEXT` count row
 * (quarantine_reason_counts) it locked with the head held. A sign job of the pipeline quarantining a
 * corrupt version locks that count row first and the head after, as every writer does: each waited
 * on the other, and PostgreSQL aborted one with 40P01 (a deadlock, retried after a stall of a
 * second; within no retry budget, the page or the job failed). The page now audits all it did
 * after its writes. The tick is held (a record of its run's key written and not yet committed)
 * just before that count row, with the head taken if the page takes it early, while the sign job
 * runs; opened with no retry budget, a deadlock fails one of them.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VERSION } from '../../catalog/identifier.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

describe('a tick page and a sign job quarantining stored texts of one pipeline (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;

  beforeAll(async () => {
    database = await postgresBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger, retryBudgetMs: 0 });
    raw = rawKnex(database.url);
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  /** Sessions waiting on the transaction `xid`. */
  async function waitersOn(xid: string): Promise<number[]> {
    const r = await raw.raw(
      `select pid from pg_locks where locktype = 'transactionid' and not granted and transactionid::text = ?`,
      [xid],
    );
    return (r.rows as { pid: number }[]).map((x) => x.pid);
  }

  /** The transaction id session `pid` holds, if it has one. */
  async function xidOf(pid: number): Promise<string | undefined> {
    const r = await raw.raw(
      `select transactionid::text as xid from pg_locks
        where locktype = 'transactionid' and granted and mode = 'ExclusiveLock' and pid = ?`,
      [pid],
    );
    return (r.rows as { xid: string }[])[0]?.xid;
  }

  async function until(what: () => Promise<boolean>): Promise<void> {
    while (!(await what())) await new Promise((r) => setTimeout(r, 10));
  }

  it('both commit: the page takes the audit head after its quarantine writes', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    // The fixture's content hashes are not the licenses' own: a due one's stored text reads as altered.
    const unexpirable = candidate({ n: 1, pipeline });
    const corruptDue = candidate({ n: 2, pipeline });
    const signed = candidate({ n: 3, pipeline });
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: '2024-01-01 00:00:00', key: 'k' }),
      rowsRead: 3,
      candidates: [unexpirable, corruptDue, signed],
      quarantined: [],
    });
    const signedVersion = created.find((c) => c.licenseId === signed.licenseId)?.versionId as number;
    await raw('license_versions')
      .where({ license_id: unexpirable.licenseId })
      .update({ version: MAX_VERSION });
    await raw('licenses')
      .where({ license_id: unexpirable.licenseId })
      .update({ latest_version: MAX_VERSION, valid_to: '2024-06-01' });
    await raw('licenses').where({ license_id: corruptDue.licenseId }).update({ valid_to: '2024-06-01' });
    const day = '2025-01-01';
    const tickRun = uniqueName('tick');
    await ledger.beginLifecycleTick({ pipeline, day, runId: tickRun });

    // A record of the tick run's key of the corrupt license, not committed: the page's own waits on it.
    const hold = await raw.transaction();
    let released = false;
    try {
      await hold('quarantine').insert({
        run_id: tickRun,
        pipeline,
        source_key: corruptDue.sourceKey,
        reasons: '[]',
        created_at: new Date().toISOString(),
      });
      const holdXid = String((await hold.raw('select txid_current()::text as x')).rows[0].x);
      const page = ledger.expireDuePage({ pipeline, today: day, runId: tickRun, limit: 10 }).then(
        (v) => ({ ok: true as const, v }),
        (e: unknown) => ({ ok: false as const, e }),
      );
      await until(async () => (await waitersOn(holdXid)).length > 0);
      const [tickPid] = await waitersOn(holdXid);
      const tickXid = await xidOf(tickPid as number);
      if (tickXid === undefined) throw new Error('the tick page holds no transaction id');

      let signDone = false;
      const sign = ledger
        .quarantineStoredText({
          pipeline,
          runId,
          stage: 'sign',
          actor: 'signer:seal-1',
          corrupt: [{ versionId: signedVersion, problem: 'its stored text does not read (SyntaxError)' }],
        })
        .then(
          (v) => ({ ok: true as const, v }),
          (e: unknown) => ({ ok: false as const, e }),
        )
        .finally(() => {
          signDone = true;
        });
      // The sign job either commits, or waits on the page (for the audit head it holds).
      await until(async () => signDone || (await waitersOn(tickXid)).length > 0);
      await hold.rollback();
      released = true;

      const [p, s] = await Promise.all([page, sign]);
      const failed = [p, s].filter((r) => !r.ok).map((r) => String((r as { e: unknown }).e));
      expect(failed).toEqual([]);
    } finally {
      if (!released) await hold.rollback();
    }

    const open = await raw('quarantine')
      .select('source_key', 'run_id')
      .where({ pipeline })
      .whereNull('resolved_at')
      .orderBy('source_key');
    expect(open.map((r: { source_key: string; run_id: string }) => [r.source_key, r.run_id])).toEqual([
      [unexpirable.sourceKey, tickRun],
      [corruptDue.sourceKey, tickRun],
      [signed.sourceKey, runId],
    ]);
    const entries = (await ledger.readAudit({ limit: 100_000 })).filter(
      (e) => e.action === 'quarantine' && e.detail.includes(`"pipeline":"${pipeline}"`),
    );
    expect(entries.map((e) => [e.licenseId, JSON.parse(e.detail).code]).sort()).toEqual(
      [
        [unexpirable.licenseId, 'LB_VERSION_LIMIT'],
        [corruptDue.licenseId, 'LB_STORED_TEXT'],
        [signed.licenseId, 'LB_STORED_TEXT'],
      ].sort(),
    );
  });
});
