/**
 * A chain cut after the newest version's entries: a run that read pages and changed nothing (most
 * incremental runs) leaves only `read` entries, each written in the transaction that adds its rows
 * to the run's read_count. Deleting the last of them and setting the head back left links that all
 * fit and the newest version recorded; verify now finds the run's rows read in the ledger that no
 * entry of the chain accounts for. Both ledgers.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

describe.each(BACKENDS)('audit verify on a chain whose last reads were cut ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;

  const page = (runId: string, key: string) =>
    ledger.commitPage({
      pipeline: 'cut',
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key }),
      rowsRead: 3,
      candidates: candidates(1, 3, { pipeline: 'cut' }),
      quarantined: [],
    });

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    await ledger.startRun({ runId: 'run-1', pipeline: 'cut', mode: 'full' });
    await page('run-1', 'k1');
    await ledger.finishRun('run-1', { state: 'done' });
    // A later run reads the same rows twice and changes nothing: two `read` entries only.
    await ledger.startRun({ runId: 'run-2', pipeline: 'cut', mode: 'full' });
    await page('run-2', 'k2');
    await page('run-2', 'k3');
    await ledger.finishRun('run-2', { state: 'done' });
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('verifies the chain as written', async () => {
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  });

  it('fails a chain whose last read entry is cut off, its head set back to the entry before', async () => {
    const last = await raw('audit_log').max({ seq: 'seq' }).first<{ seq: unknown }>();
    const cut = Number(last?.seq);
    expect(await raw('audit_log').where({ seq: cut }).first()).toMatchObject({ action: 'read' });
    const before = await raw('audit_log')
      .where({ seq: cut - 1 })
      .first<{ hash: string }>();
    await raw('audit_log').where({ seq: cut }).del();
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
    expect(result.firstBad.message).toContain('run run-2');
    expect(result.firstBad.message).toContain('3 of its 6 rows read');
  });
});
