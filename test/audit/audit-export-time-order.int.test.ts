/**
 * A date range of the chain whose entries are not in time order: a host whose clock runs ahead
 * wrote an entry timed after the range, between entries inside it. The export of either range
 * still signs, and holds the entries between too (read by seq and checked as the range's own), so
 * its lines follow each other: whoever holds only the file can check the chain. A deleted one
 * among them is still refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { type AuditRowValues, auditHash } from '../../ledger/audit-chain.js';
import type { AuditQuery } from '../../ledger/audit-types.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { makeTempDir } from '../signers/helpers.js';
import { type ChainLedger, chainLedger, rehashChain } from './audit-chain-fixture.js';
import { exportSigner } from './export-workspace.js';

const second = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000);

describe('audit export of a date range not in time order', () => {
  let chain: ChainLedger;
  let tmp: ReturnType<typeof makeTempDir>;
  let signer: LocalSm2Signer;

  const sql = (run: (db: Database.Database) => void) => {
    const db = new Database(chain.database.url.slice('sqlite://'.length));
    try {
      run(db);
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(40);
    // Entry 15 written by a host 10 s ahead (entry n is at second n): the chain hashed as written.
    sql((db) => {
      db.prepare('update audit_log set at = ? where seq = 15').run(second(25).toISOString());
      rehashChain(db);
    });
    signer = await exportSigner();
  });
  afterEach(async () => {
    await signer?.close();
    await chain?.close();
    tmp?.cleanup();
  });

  const exportTo = (name: string, query: AuditQuery) =>
    writeAuditExport(chain.ledger, signer, query, { out: join(tmp.dir, name), pageSize: 7 });

  it('the chain verifies, and both ranges export as stretches of the chain', async () => {
    expect((await chain.ledger.verifyAudit()).ok).toBe(true);
    // Seconds 5 to 19: entries 5 to 19, with 15 (timed at second 25) between them.
    const a = await exportTo('a.jsonl', { from: second(5), to: second(20) });
    expect(a.entries).toBe(15);
    expect(chainOfFile(a.out)).toEqual({ seqs: range(5, 19), problems: [] });
    // Seconds 20 to 29: entry 15 first, then 16 to 19 (timed before the range) between it and 20.
    const b = await exportTo('b.jsonl', { from: second(20), to: second(30) });
    expect(b.entries).toBe(15);
    expect(chainOfFile(b.out)).toEqual({ seqs: range(15, 29), problems: [] });
  });

  it('an entry deleted or altered between is still refused', async () => {
    sql((db) => db.prepare('delete from audit_log where seq = 17').run());
    await expect(exportTo('b.jsonl', { from: second(20), to: second(30) })).rejects.toThrow(
      'entry 17 is missing',
    );
    sql((db) => db.prepare('update audit_log set detail = ? where seq = 15').run('{"forged":true}'));
    await expect(exportTo('a.jsonl', { from: second(5), to: second(20) })).rejects.toThrow(
      'entry 15 was altered',
    );
  });
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * The check docs/audit.md gives whoever holds only the export: each line's `prevHash` is the line
 * before's `hash`, and each `hash` is its own values' (the first line's `prevHash` is taken as given).
 */
function chainOfFile(file: string): { seqs: number[]; problems: string[] } {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map(
      (l) => JSON.parse(l) as AuditRowValues & { licenseId: string | null; prevHash: string; hash: string },
    );
  const problems: string[] = [];
  lines.forEach((e, i) => {
    const before = lines[i - 1];
    if (before && e.prevHash !== before.hash) problems.push(`entry ${e.seq} does not follow ${before.seq}`);
    const own = auditHash({ ...e, license_id: e.licenseId, prev_hash: e.prevHash });
    if (own !== e.hash) problems.push(`entry ${e.seq} does not hash to its hash`);
  });
  return { seqs: lines.map((e) => e.seq), problems };
}
