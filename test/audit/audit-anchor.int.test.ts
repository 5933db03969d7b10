/**
 * The chain and its head live in one database: entries cut off the end with the head set back, or
 * a tail rewritten with fresh hashes, still walk as an intact chain. A signed export kept elsewhere
 * pins the chain: `verify --against` finds both, and a changed export is refused.
 */
import { appendFile, copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { jcs } from '../../catalog/canonical.js';
import { type AuditRowValues, auditHash } from '../../ledger/audit-chain.js';
import { writeAuditExport } from '../../pipelines/audit.js';
import { checkAuditAnchors } from '../../pipelines/audit-anchor.js';
import { makeTempDir } from '../signers/helpers.js';
import { appendChainEntries, type ChainLedger, chainLedger } from './audit-chain-fixture.js';

const pair = generateSm2KeyPair();

async function exportChain(chain: ChainLedger, out: string, query = {}): Promise<void> {
  const signer = new LocalSm2Signer('district-seal', {
    kind: 'local-sm2',
    key: pair.privateKeyPem,
    sealId: '37021100000001',
    distId: '1234567812345678',
    workers: 0,
  });
  await signer.open();
  try {
    await writeAuditExport(chain.ledger, signer, query, { out, pageSize: 7 });
  } finally {
    await signer.close();
  }
}

/** Entries from `from` on removed and the head set back to the one before: no gap, no link broken. */
function cutTail(file: string, from: number): void {
  const db = new Database(file);
  try {
    db.prepare('delete from audit_log where seq >= ?').run(from);
    const last = db.prepare('select seq, hash from audit_log where seq = ?').get(from - 1) as {
      seq: number;
      hash: string;
    };
    db.prepare('update audit_head set seq = ?, hash = ? where id = 1').run(last.seq, last.hash);
  } finally {
    db.close();
  }
}

/** Entry `from` altered and every entry after it hashed again, head included: the chain still fits. */
function rewriteFrom(file: string, from: number): void {
  const db = new Database(file);
  try {
    const rows = db
      .prepare('select * from audit_log where seq >= ? order by seq')
      .all(from) as (AuditRowValues & {
      hash: string;
    })[];
    let prev = (db.prepare('select hash from audit_log where seq = ?').get(from - 1) as { hash: string })
      .hash;
    const update = db.prepare('update audit_log set detail = ?, prev_hash = ?, hash = ? where seq = ?');
    for (const r of rows) {
      const detail = r.seq === from ? jcs({ runId: 'run-forged', seq: r.seq }) : r.detail;
      const values: AuditRowValues = { ...r, detail, prev_hash: prev };
      prev = auditHash(values);
      update.run(detail, values.prev_hash, prev, r.seq);
    }
    db.prepare('update audit_head set hash = ? where id = 1').run(prev);
  } finally {
    db.close();
  }
}

describe('audit verify against signed exports', () => {
  let chain: ChainLedger;
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  let out: string;

  beforeEach(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(40);
    file = chain.database.url.slice('sqlite://'.length);
    out = join(tmp.dir, 'audit-export.jsonl');
    await exportChain(chain, out);
  });
  afterEach(async () => {
    await chain?.close();
    tmp?.cleanup();
  });

  const verify = async (files = [out]) =>
    checkAuditAnchors(chain.ledger, await chain.ledger.verifyAudit(), files);

  it('passes a chain that holds the export, and one that grew since', async () => {
    expect(await verify()).toMatchObject({ ok: true, entries: 40 });
    appendChainEntries(file, 5);
    expect(await verify()).toMatchObject({ ok: true, entries: 45 });
  });

  it('finds entries cut off the end that the chain walk alone calls intact', async () => {
    cutTail(file, 31);
    // The walk alone: nothing out of place.
    expect(await chain.ledger.verifyAudit()).toMatchObject({ ok: true, entries: 30 });
    const r = await verify();
    expect(r).toMatchObject({ ok: false, headSeq: 30, firstBad: { seq: 31, kind: 'head-mismatch' } });
    if (!r.ok) expect(r.firstBad.message).toContain('cut off the end');
  });

  it('finds a tail rewritten with fresh hashes, at its first rewritten entry', async () => {
    rewriteFrom(file, 17);
    expect(await chain.ledger.verifyAudit()).toMatchObject({ ok: true, entries: 40 });
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 17, kind: 'anchor-differs' } });
  });

  it('checks a range export as well: one of a later range pins that range', async () => {
    const range = join(tmp.dir, 'range.jsonl');
    await exportChain(chain, range, { fromSeq: 21, toSeq: 35 });
    rewriteFrom(file, 25);
    expect(await verify([range])).toMatchObject({ ok: false, firstBad: { seq: 25, kind: 'anchor-differs' } });
  });

  it('refuses an export whose signature does not verify over it, naming the file', async () => {
    const cut = join(tmp.dir, 'cut.jsonl');
    const lines = (await readFile(out, 'utf8')).split('\n');
    await writeFile(cut, `${lines.slice(0, 30).join('\n')}\n`);
    await copyFile(`${out}.sig`, `${cut}.sig`);
    await copyFile(`${out}.pub.pem`, `${cut}.pub.pem`);
    await expect(verify([cut])).rejects.toThrow(`audit: export ${cut}: its signature does not verify`);
    await appendFile(out, '\n');
    await expect(verify([out])).rejects.toThrow('its signature does not verify');
  });

  it('refuses an export whose public key cannot be read, naming the file, as a usage problem', async () => {
    // A damaged key file is no broken chain: it must not fail as one (exit 1) with the bare decoder error.
    await writeFile(`${out}.pub.pem`, '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n');
    const failure = verify([out]);
    await expect(failure).rejects.toThrow(
      `audit: export ${out}: its public key ${out}.pub.pem cannot be read`,
    );
    await expect(failure).rejects.toMatchObject({ code: 'LB_USAGE' });
  });
});
