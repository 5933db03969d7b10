import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { actCount, versionIdsOf } from '../../ledger/audit-batch.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { verifyTamperedCopy } from './tampered-copy.js';

const logger = createLogger({ level: 'silent' });

/**
 * The demo run writes the chain; each test tampers with a private copy of the ledger file the way
 * someone with database access could, and `verifyAudit` must name the first entry that does not fit.
 */
describe('audit chain on the demo: verify passes, and names the first bad entry after tampering', () => {
  let ws: DemoWorkspace;
  let ledgerFile: string;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 5 });
    // Pages of 5 rows: a chain of some forty entries (a read and an issue batch per page, signing
    // and delivery batches), long enough to tamper with its middle and to verify in several pages.
    await writeFile(
      ws.configFile,
      (await readFile(ws.configFile, 'utf8')).replace('pageSize: 100', 'pageSize: 5'),
    );
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    ledgerFile = join(ws.dir, 'data', 'ledger.db');
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  /** A copy of the ledger with `tamper` applied to it, verified. */
  const verifyCopy = (tamper?: (db: Database.Database) => void) => verifyTamperedCopy(ledgerFile, 7, tamper);

  it('records every kind of act of a run and verifies intact', async () => {
    const ledger = await openLedger(`sqlite://${ledgerFile}`, { logger });
    try {
      const entries = await ledger.readAudit({ limit: 100_000 });
      const actions = new Set(entries.map((e) => e.action));
      for (const a of ['read', 'issue', 'sign', 'deliver']) expect(actions).toContain(a);
      // Every version created (a new license, or a renewal of one) is one act, signed once and
      // delivered once: acts of a batch share an entry, which counts them.
      const acts = (action: (a: string) => boolean) =>
        entries.filter((e) => action(e.action)).reduce((n, e) => n + actCount(e), 0);
      const issued = acts((a) => a === 'issue' || a === 'renew');
      expect(issued).toBeGreaterThan(50);
      expect(acts((a) => a === 'sign')).toBe(issued);
      expect(acts((a) => a === 'deliver')).toBe(issued);
      // Batched: far fewer entries than acts.
      expect(entries.length).toBeLessThan(issued);
      // Ids only: no holder names in the chain.
      expect(JSON.stringify(entries)).not.toMatch(/经营者|有限公司/);
    } finally {
      await ledger.close();
    }
    const result = await verifyCopy();
    expect(result.ok).toBe(true);
    expect(result.entries).toBeGreaterThan(35);
  });

  it('names an altered entry', async () => {
    const r = await verifyCopy((db) =>
      db.prepare(`UPDATE audit_log SET actor = 'pipeline:someone-else' WHERE seq = 13`).run(),
    );
    expect(r).toMatchObject({ ok: false, firstBad: { seq: 13, kind: 'altered' } });
  });

  it('names a deleted entry', async () => {
    const r = await verifyCopy((db) => db.prepare('DELETE FROM audit_log WHERE seq = 20').run());
    expect(r).toMatchObject({ ok: false, firstBad: { seq: 20, kind: 'missing' } });
  });

  it('names the first of two swapped entries', async () => {
    const r = await verifyCopy((db) => {
      db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = 16').run();
      db.prepare('UPDATE audit_log SET seq = 16 WHERE seq = 17').run();
      db.prepare('UPDATE audit_log SET seq = 17 WHERE seq = -1').run();
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.firstBad.seq).toBe(16);
  });

  it('names an entry inserted with a recomputed-looking hash', async () => {
    const r = await verifyCopy((db) => {
      // Shift the tail up by one and put a forged entry in the gap, copying its neighbour's hashes.
      const last = db.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
      for (let s = last; s >= 25; s--) db.prepare('UPDATE audit_log SET seq = seq + 1 WHERE seq = ?').run(s);
      db.prepare(
        `INSERT INTO audit_log (seq, at, actor, action, license_id, version, digest, detail, prev_hash, hash)
         SELECT 25, at, actor, 'revoke', license_id, version, digest, detail, prev_hash, hash FROM audit_log WHERE seq = 26`,
      ).run();
      db.prepare('UPDATE audit_head SET seq = seq + 1').run();
    });
    expect(r).toMatchObject({ ok: false, firstBad: { seq: 25 } });
  });

  /** The seq of the batch entry of `action` whose versions include `versionId`. */
  const batchOf = async (action: string, versionId: number): Promise<number> => {
    const ledger = await openLedger(`sqlite://${ledgerFile}`, { logger });
    try {
      const entries = await ledger.readAudit({ limit: 100_000 });
      const e = entries.find(
        (x) => x.action === action && x.licenseId === null && versionIdsOf(x).includes(versionId),
      );
      if (!e) throw new Error(`no ${action} batch holds version ${versionId}`);
      return e.seq;
    } finally {
      await ledger.close();
    }
  };

  it('names the batch entry whose version was changed in the ledger afterwards', async () => {
    const seq = await batchOf('issue', 12);
    const r = await verifyCopy((db) =>
      db.prepare(`UPDATE license_versions SET content_hash = 'forged' WHERE version_id = 12`).run(),
    );
    expect(r).toMatchObject({ ok: false, firstBad: { seq, kind: 'acts-differ' } });
    if (!r.ok) expect(r.firstBad.message).toMatch(/changed in the ledger/);
  });

  it('names the batch entry whose signature was removed or replaced afterwards', async () => {
    const seq = await batchOf('sign', 30);
    const removed = await verifyCopy((db) =>
      db.prepare('DELETE FROM signatures WHERE version_id = 30').run(),
    );
    expect(removed).toMatchObject({ ok: false, firstBad: { seq, kind: 'acts-differ' } });
    if (!removed.ok) expect(removed.firstBad.message).toMatch(/version id 30/);
    // The digest is held as its bytes (migration 043), `digest` ''. Another digest written over
    // the bytes, or as text beside them, is another digest, and verify names the entry.
    const otherDigest = (db: Database.Database) => {
      const row = db.prepare('SELECT digest, digest_bytes FROM signatures WHERE version_id = 30').get() as {
        digest: string;
        digest_bytes: Buffer | null;
      };
      expect(row.digest).toBe('');
      const bytes = Buffer.from(row.digest_bytes as Buffer);
      bytes[0] = (bytes[0] as number) ^ 1;
      return bytes;
    };
    for (const column of ['digest_bytes', 'digest'] as const) {
      const replaced = await verifyCopy((db) => {
        const bytes = otherDigest(db);
        db.prepare(`UPDATE signatures SET ${column} = ? WHERE version_id = 30`).run(
          column === 'digest' ? bytes.toString('hex') : bytes,
        );
      });
      expect(replaced, column).toMatchObject({ ok: false, firstBad: { seq, kind: 'acts-differ' } });
    }
  });

  it('notices entries cut off the end of the chain', async () => {
    const r = await verifyCopy((db) => {
      const last = db.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(last - 3);
    });
    expect(r).toMatchObject({ ok: false, firstBad: { kind: 'head-mismatch' } });
  });
});
