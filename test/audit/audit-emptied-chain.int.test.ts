/**
 * A chain emptied or cut short while the ledger keeps its versions: every version is written in
 * the transaction that records its act, so the chain must record the ledger's newest version.
 * Deleting every entry and setting the head back to the start (the state of a fresh ledger), or
 * deleting the entries from the newest version's on and setting the head back to the entry before,
 * leaves links that all fit; verify still fails, naming the version no entry records. Both ledgers.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { GENESIS_HASH } from '../../ledger/migrations/004-audit-reconcile.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidate, candidates, revokingRepair } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

describe.each(BACKENDS)('audit verify on a chain emptied or cut short ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let repairedVersionId: number;
  let kept: { log: Record<string, unknown>[]; head: Record<string, unknown>[] };

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    const pipeline = 'emptied';
    await ledger.startRun({ runId: 'run-1', pipeline, mode: 'incremental' });
    // A page of three new versions (one batch entry), then a page of one (an entry of one act).
    for (const [page, from, count] of [
      [1, 1, 3],
      [2, 4, 1],
    ] as const) {
      await ledger.commitPage({
        pipeline,
        runId: 'run-1',
        checkpoint: encodeKeyPosition({ cursor: null, key: `k${page}` }),
        rowsRead: count,
        candidates: candidates(from, count, { pipeline }),
        quarantined: [],
      });
    }
    // The newest version a repair's: its entries name the license and version, not the version id.
    const [created] = await ledger.appendRepairVersions(revokingRepair(candidate({ n: 1, pipeline })));
    repairedVersionId = created?.versionId as number;
    kept = { log: await raw('audit_log').select('*'), head: await raw('audit_head').select('*') };
  });
  beforeEach(async () => {
    // Each test tampers with the chain as it was written.
    await raw.transaction(async (trx) => {
      await trx('audit_log').del();
      await trx('audit_head').del();
      await trx('audit_log').insert(kept.log);
      await trx('audit_head').insert(kept.head);
    });
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('verifies the chain as written, whose newest version a repair recorded', async () => {
    const result = await ledger.verifyAudit();
    expect(result).toMatchObject({ ok: true, entries: kept.log.length });
  });

  it('fails a chain whose entries are all deleted and whose head is set back to the start', async () => {
    await raw('audit_log').del();
    await raw('audit_head').where({ id: 1 }).update({ seq: 0, hash: GENESIS_HASH });
    const result = await ledger.verifyAudit();
    expect(result).toMatchObject({ ok: false, entries: 0, firstBad: { seq: 1, kind: 'head-mismatch' } });
    if (result.ok) return;
    expect(result.firstBad.message).toContain('holds no entry');
    expect(result.firstBad.message).toContain(`version id ${repairedVersionId}`);
  });

  it('fails a chain whose entries are all deleted, its head kept or deleted too', async () => {
    await raw('audit_log').del();
    expect(await ledger.verifyAudit()).toMatchObject({ ok: false, firstBad: { kind: 'head-mismatch' } });
    await raw('audit_head').del();
    expect(await ledger.verifyAudit()).toMatchObject({ ok: false, firstBad: { kind: 'head-mismatch' } });
  });

  it('fails a chain cut before the newest version’s entries, its head set back to the entry before', async () => {
    const first = await raw('audit_log')
      .where({ action: 'repair' })
      .min({ seq: 'seq' })
      .first<{ seq: unknown }>();
    const cut = Number(first?.seq);
    const before = await raw('audit_log')
      .where({ seq: cut - 1 })
      .first<{ hash: string }>();
    await raw('audit_log').where('seq', '>=', cut).del();
    await raw('audit_head')
      .where({ id: 1 })
      .update({ seq: cut - 1, hash: before?.hash });
    const result = await ledger.verifyAudit();
    expect(result).toMatchObject({
      ok: false,
      entries: cut - 1,
      firstBad: { seq: cut, kind: 'head-mismatch' },
    });
    if (result.ok) return;
    expect(result.firstBad.message).toContain(`version id ${repairedVersionId}`);
  });
});
