/**
 * A signed export is kept as proof of the chain: it must not sign a range that left out a deleted
 * entry or carries an altered one. The export fails naming the entry, and writes nothing.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import type { AuditQuery } from '../../ledger/audit-types.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { makeTempDir } from '../signers/helpers.js';
import { type ChainLedger, chainLedger } from './audit-chain-fixture.js';
import { exportSigner } from './export-workspace.js';

describe('audit export of a chain that does not link', () => {
  let chain: ChainLedger;
  let tmp: ReturnType<typeof makeTempDir>;
  let signer: LocalSm2Signer;

  beforeEach(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(40);
    signer = await exportSigner();
  });
  afterEach(async () => {
    await signer?.close();
    await chain?.close();
    tmp?.cleanup();
  });

  const sql = (statement: string, ...args: unknown[]) => {
    const db = new Database(chain.database.url.slice('sqlite://'.length));
    try {
      db.prepare(statement).run(...args);
    } finally {
      db.close();
    }
  };
  const exportTo = (name: string, query: AuditQuery) =>
    writeAuditExport(chain.ledger, signer, query, { out: join(tmp.dir, name), pageSize: 7 });

  it('refuses a range with a deleted entry inside it, at its start, or at the chain start', async () => {
    sql('delete from audit_log where seq = ?', 20);
    await expect(exportTo('whole.jsonl', {})).rejects.toThrow('entry 20 is missing');
    await expect(exportTo('range.jsonl', { fromSeq: 10, toSeq: 30 })).rejects.toThrow('entry 20 is missing');
    await expect(exportTo('start.jsonl', { fromSeq: 20, toSeq: 30 })).rejects.toThrow('entry 20 is missing');
    expect(await readdir(tmp.dir)).toEqual([]);
    // A range the deletion does not touch is still exported.
    expect((await exportTo('after.jsonl', { fromSeq: 21, toSeq: 30 })).entries).toBe(10);
    sql('delete from audit_log where seq = ?', 1);
    await expect(exportTo('first.jsonl', { toSeq: 5 })).rejects.toThrow('entry 1 is missing');
  });

  it('refuses a numeric range whose last entries were deleted, and takes one past the chain end', async () => {
    sql('delete from audit_log where seq between ? and ?', 29, 30);
    await expect(exportTo('end.jsonl', { fromSeq: 20, toSeq: 30 })).rejects.toThrow(
      'entry 29 is missing (the next entry is 31)',
    );
    await expect(exportTo('only.jsonl', { fromSeq: 30, toSeq: 30 })).rejects.toThrow('entry 30 is missing');
    await expect(exportTo('to.jsonl', { toSeq: 29 })).rejects.toThrow('entry 29 is missing');
    expect(await readdir(tmp.dir)).toEqual([]);
    // A range that reaches past the chain's last entry is exported up to it.
    expect((await exportTo('past.jsonl', { fromSeq: 35, toSeq: 60 })).entries).toBe(6);
    expect((await exportTo('beyond.jsonl', { fromSeq: 41, toSeq: 60 })).entries).toBe(0);
  });

  it("refuses a range whose end is the chain's, its last entries deleted while the head names them", async () => {
    sql('delete from audit_log where seq between ? and ?', 39, 40);
    const named = 'entry 39 is missing (the chain head names entry 40 as its last)';
    await expect(exportTo('to.jsonl', { fromSeq: 30, toSeq: 40 })).rejects.toThrow(named);
    await expect(exportTo('past.jsonl', { fromSeq: 30, toSeq: 60 })).rejects.toThrow(named);
    await expect(exportTo('open.jsonl', { fromSeq: 30 })).rejects.toThrow(named);
    await expect(exportTo('whole.jsonl', {})).rejects.toThrow(named);
    expect(await readdir(tmp.dir)).toEqual([]);
    // A range ending before the deletion is still exported.
    expect((await exportTo('before.jsonl', { fromSeq: 30, toSeq: 38 })).entries).toBe(9);
  });

  it('refuses a range with an altered entry, also by dates', async () => {
    sql('update audit_log set detail = ? where seq = ?', '{"runId":"forged","versionId":12}', 12);
    await expect(exportTo('whole.jsonl', {})).rejects.toThrow('entry 12 was altered');
    const from = new Date(Date.UTC(2026, 0, 1) + 5 * 1000);
    const to = new Date(Date.UTC(2026, 0, 1) + 20 * 1000);
    await expect(exportTo('dates.jsonl', { from, to })).rejects.toThrow('entry 12 was altered');
    expect(await readdir(tmp.dir)).toEqual([]);
  });
});
