/**
 * A run reads a source row, writes its version, and reads the row again in a later page (it
 * changed meanwhile) with a fault: the run's record of the key holds the mapping reasons. The sign
 * job of the first version, in the same run, finds its stored text corrupt and quarantines the key
 * `LB_STORED_TEXT` in that run: the one record per (run, key) took the stored-text reasons in
 * place of the mapping ones, and the worklist no longer told what to fix at the source. The other
 * way round, the later page's mapping reasons took the stored-text ones' place. The record now
 * keeps both: a read replaces the reasons of the run's earlier read, never a stored version's; a
 * stored-text record adds to the run's open one. On both ledger backends.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, nowIso } from '../../ledger/db.js';
import { closeRestoredStoredText } from '../../ledger/expiry-stored-text.js';
import type { CommitPageInput, Ledger, QuarantineCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { commitQuarantinePage, openReasonCodes } from './quarantine-page.js';
import { rawKnex } from './raw-knex.js';

describe.each(BACKENDS)('a stored-text record in the run of a mapping record ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  /** The same database, for what only the ledger's own modules write (a restored text's close). */
  let k: Knex;
  let db: Db;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    k = rawKnex(database.url);
    db = createDb({
      knex: k,
      dialect: backend.name,
      maxParams: 999,
      maxRows: 500,
      log: quietLogger,
      exclusive: noWriteLock,
    });
  });
  afterAll(async () => {
    await k?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  const page = (pipeline: string, runId: string, n: number, over: Partial<CommitPageInput>) =>
    commitQuarantinePage(ledger, pipeline, runId, n, over);
  const bad = (key: string, code: string): QuarantineCandidate => ({
    sourceKey: key,
    reasons: [{ code, message: 'not valid', path: 'holder.id', column: 'TYSHXYDM' }],
  });
  const openCodes = (pipeline: string) => openReasonCodes(ledger, pipeline);
  async function signJobFindsCorrupt(pipeline: string, runId: string, versionId: number) {
    return ledger.quarantineStoredText({
      pipeline,
      runId,
      stage: 'sign',
      actor: 'signer:seal-1',
      corrupt: [{ versionId, problem: 'its stored text does not read (SyntaxError)' }],
    });
  }

  /** A run whose first page writes the key's version: the run, the key and the version's id. */
  async function versioned() {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const row = candidate({ n: 1, pipeline });
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await page(pipeline, runId, 1, { candidates: [row] });
    const versionId = created[0]?.versionId;
    if (versionId === undefined) throw new Error('a version expected');
    return { pipeline, runId, key: row.sourceKey, versionId };
  }

  it('keeps the mapping reasons when the sign job quarantines the stored text after', async () => {
    const { pipeline, runId, key, versionId } = await versioned();
    await page(pipeline, runId, 2, { quarantined: [bad(key, 'LB_MAP_DATE')] });
    const found = await signJobFindsCorrupt(pipeline, runId, versionId);
    expect(found.map((f) => f.fresh)).toEqual([true]);
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_MAP_DATE', 'LB_STORED_TEXT']]]);
    // Met again by a later job: the open record stands for it, nothing added twice.
    expect((await signJobFindsCorrupt(pipeline, runId, versionId)).map((f) => f.fresh)).toEqual([false]);
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_MAP_DATE', 'LB_STORED_TEXT']]]);
  });

  it('keeps the stored-text reasons when a later page quarantines the row', async () => {
    const { pipeline, runId, key, versionId } = await versioned();
    await signJobFindsCorrupt(pipeline, runId, versionId);
    await page(pipeline, runId, 2, { quarantined: [bad(key, 'LB_MAP_DATE')] });
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_MAP_DATE', 'LB_STORED_TEXT']]]);
    // Read again with another fault: the earlier read's reasons go, the stored text's stay.
    await page(pipeline, runId, 3, { quarantined: [bad(key, 'LB_HOLDER_ID_CHECK')] });
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_HOLDER_ID_CHECK', 'LB_STORED_TEXT']]]);
    const reasons = (await ledger.openQuarantine({ pipeline }))[0]?.reasons ?? [];
    expect(reasons.find((r) => r.code === 'LB_STORED_TEXT')?.message).toContain('version 1');
    expect(reasons.find((r) => r.code === 'LB_HOLDER_ID_CHECK')).toMatchObject({
      message: 'not valid',
      path: 'holder.id',
      column: 'TYSHXYDM',
    });
  });

  it('gives a closed record of the run the stored-text reasons alone', async () => {
    const { pipeline, runId, key, versionId } = await versioned();
    await page(pipeline, runId, 2, { quarantined: [bad(key, 'LB_MAP_DATE')] });
    // Read cleanly in a third page: the record closes, its mapping fault fixed.
    await page(pipeline, runId, 3, {
      candidates: [{ ...candidate({ n: 1, pipeline }), contentHash: 'h-3' }],
    });
    expect(await openCodes(pipeline)).toEqual([]);
    await signJobFindsCorrupt(pipeline, runId, versionId);
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_STORED_TEXT']]]);
  });

  it('keeps the mapping reasons open when the stored text is restored', async () => {
    const { pipeline, runId, key, versionId } = await versioned();
    await page(pipeline, runId, 2, { quarantined: [bad(key, 'LB_MAP_DATE')] });
    await signJobFindsCorrupt(pipeline, runId, versionId);
    // The text restored, the page expiring the license closes what the stored text's record said.
    const expired = { sourceKey: key, licenseId: candidate({ n: 1, pipeline }).licenseId, version: 1 };
    await db.write('closeRestored', (trx) => closeRestoredStoredText(trx, db, pipeline, [expired], nowIso()));
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_MAP_DATE']]]);
  });

  it('reads a record whose mapping reason holds a lone surrogate', async () => {
    const { pipeline, runId, key, versionId } = await versioned();
    // A legacy column's broken UTF-16, kept in the reason as read.
    const broken: QuarantineCandidate = {
      sourceKey: key,
      reasons: [{ code: 'LB_MAP_DATE', message: 'not a date', column: 'FZRQ', value: '20\ud80024' }],
    };
    await page(pipeline, runId, 2, { quarantined: [broken] });
    await signJobFindsCorrupt(pipeline, runId, versionId);
    await page(pipeline, runId, 3, { quarantined: [broken] });
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_MAP_DATE', 'LB_STORED_TEXT']]]);
  });
});
