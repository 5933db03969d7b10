/**
 * An export that holds entry 1 signs the chain from its start: entry 1 must follow the chain's
 * genesis hash (docs/audit.md). An export with no `--from`, or `--from 1`, checked it; one of a date
 * range starting before entry 1 did not, and signed an entry 1 whose `prev_hash` had been rewritten
 * (the chain hashed again from it), a file that whoever checks it line by line finds to start off
 * the chain. Each such range is now refused as the others are, naming entry 1.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { type AuditRowValues, auditHash } from '../../ledger/audit-chain.js';
import type { AuditQuery } from '../../ledger/audit-types.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { makeTempDir } from '../signers/helpers.js';
import { type ChainLedger, chainLedger } from './audit-chain-fixture.js';
import { exportSigner } from './export-workspace.js';

let chain: ChainLedger;
let tmp: ReturnType<typeof makeTempDir>;
let signer: LocalSm2Signer;

beforeEach(async () => {
  tmp = makeTempDir();
  chain = await chainLedger(10);
  signer = await exportSigner();
});
afterEach(async () => {
  await signer?.close();
  await chain?.close();
  tmp?.cleanup();
});

/** Entry 1 made to follow `start` instead of the genesis hash, every entry hashed again after it. */
function startChainAt(start: string): void {
  const db = new Database(chain.database.url.slice('sqlite://'.length));
  try {
    const rows = db.prepare('select * from audit_log order by seq').all() as AuditRowValues[];
    const rehash = db.prepare('update audit_log set prev_hash = ?, hash = ? where seq = ?');
    let prev = start;
    for (const r of rows) {
      const hash = auditHash({ ...r, prev_hash: prev });
      rehash.run(prev, hash, r.seq);
      prev = hash;
    }
    db.prepare('update audit_head set hash = ? where id = 1').run(prev);
  } finally {
    db.close();
  }
}

const exportTo = (name: string, query: AuditQuery) =>
  writeAuditExport(chain.ledger, signer, query, { out: join(tmp.dir, name), pageSize: 4 });

it('refuses a date range holding entry 1 when entry 1 does not follow the genesis hash', async () => {
  startChainAt('f'.repeat(64));
  const named = 'entry 1 does not follow';
  await expect(exportTo('whole.jsonl', {})).rejects.toThrow(named);
  const from = new Date(Date.UTC(2025, 11, 31));
  await expect(exportTo('from-date.jsonl', { from })).rejects.toThrow(named);
  const to = new Date(Date.UTC(2026, 0, 1) + 5 * 1000);
  await expect(exportTo('dates.jsonl', { from, to })).rejects.toThrow(named);
  await expect(exportTo('to-date.jsonl', { to })).rejects.toThrow(named);
  expect(await readdir(tmp.dir)).toEqual([]);
  // A range after entry 1 does not sign it, and is exported.
  expect((await exportTo('later.jsonl', { from: new Date(Date.UTC(2026, 0, 1) + 2 * 1000) })).entries).toBe(
    9,
  );
});

it('exports a date range from the chain start of an intact chain', async () => {
  expect((await exportTo('intact.jsonl', { from: new Date(Date.UTC(2025, 11, 31)) })).entries).toBe(10);
});
