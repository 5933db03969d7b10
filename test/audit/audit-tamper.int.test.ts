import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

/**
 * The demo run writes the chain; each test tampers with a private copy of the ledger file the way
 * someone with database access could, and `verifyAudit` must name the first entry that does not fit.
 */
describe('audit chain on the demo: verify passes, and names the first bad entry after tampering', () => {
  let ws: DemoWorkspace;
  let ledgerFile: string;
  let copies = 0;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    ledgerFile = join(ws.dir, 'data', 'ledger.db');
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  /** A copy of the ledger with `tamper` applied to it, verified. */
  const verifyCopy = async (tamper?: (db: Database.Database) => void) => {
    const copy = join(ws.dir, 'data', `copy-${copies++}.db`);
    const src = new Database(ledgerFile);
    src.exec(`VACUUM INTO '${copy}'`);
    src.close();
    if (tamper) {
      const db = new Database(copy);
      tamper(db);
      db.close();
    }
    const ledger = await openLedger(`sqlite://${copy}`, { logger });
    try {
      return await ledger.verifyAudit({ pageSize: 7 });
    } finally {
      await ledger.close();
    }
  };

  it('records every kind of act of a run and verifies intact', async () => {
    const ledger = await openLedger(`sqlite://${ledgerFile}`, { logger });
    try {
      const entries = await ledger.readAudit({ limit: 100_000 });
      const actions = new Set(entries.map((e) => e.action));
      for (const a of ['read', 'issue', 'sign', 'deliver']) expect(actions).toContain(a);
      // One entry per version created (a new license, or a renewal of one), signed and delivered.
      const issued = entries.filter((e) => e.action === 'issue' || e.action === 'renew').length;
      expect(entries.filter((e) => e.action === 'sign').length).toBe(issued);
      expect(entries.filter((e) => e.action === 'deliver').length).toBe(issued);
      // Ids only: no holder names in the chain.
      expect(JSON.stringify(entries)).not.toMatch(/经营者|有限公司/);
    } finally {
      await ledger.close();
    }
    const result = await verifyCopy();
    expect(result.ok).toBe(true);
    expect(result.entries).toBeGreaterThan(100);
  });

  it('names an altered entry', async () => {
    const r = await verifyCopy((db) =>
      db.prepare(`UPDATE audit_log SET actor = 'pipeline:someone-else' WHERE seq = 23`).run(),
    );
    expect(r).toMatchObject({ ok: false, firstBad: { seq: 23, kind: 'altered' } });
  });

  it('names a deleted entry', async () => {
    const r = await verifyCopy((db) => db.prepare('DELETE FROM audit_log WHERE seq = 40').run());
    expect(r).toMatchObject({ ok: false, firstBad: { seq: 40, kind: 'missing' } });
  });

  it('names the first of two swapped entries', async () => {
    const r = await verifyCopy((db) => {
      db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = 31').run();
      db.prepare('UPDATE audit_log SET seq = 31 WHERE seq = 32').run();
      db.prepare('UPDATE audit_log SET seq = 32 WHERE seq = -1').run();
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.firstBad.seq).toBe(31);
  });

  it('names an entry inserted with a recomputed-looking hash', async () => {
    const r = await verifyCopy((db) => {
      // Shift the tail up by one and put a forged entry in the gap, copying its neighbour's hashes.
      const last = db.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
      for (let s = last; s >= 50; s--) db.prepare('UPDATE audit_log SET seq = seq + 1 WHERE seq = ?').run(s);
      db.prepare(
        `INSERT INTO audit_log (seq, at, actor, action, license_id, version, digest, detail, prev_hash, hash)
         SELECT 50, at, actor, 'revoke', license_id, version, digest, detail, prev_hash, hash FROM audit_log WHERE seq = 51`,
      ).run();
      db.prepare('UPDATE audit_head SET seq = seq + 1').run();
    });
    expect(r).toMatchObject({ ok: false, firstBad: { seq: 50 } });
  });

  it('notices entries cut off the end of the chain', async () => {
    const r = await verifyCopy((db) => {
      const last = db.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(last - 3);
    });
    expect(r).toMatchObject({ ok: false, firstBad: { kind: 'head-mismatch' } });
  });
});
