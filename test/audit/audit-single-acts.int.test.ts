/**
 * A version or a signature whose act was alone in its batch (a page that changed one license: the
 * common incremental run) has an entry of its own, not a batch digest. Changing or removing its
 * row afterwards must fail `verifyAudit` as `acts-differ`, as it does for the acts of a batch.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import type { AuditEntry } from '../../ledger/audit-types.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { verifyTamperedCopy } from './tampered-copy.js';

const logger = createLogger({ level: 'silent' });

describe('audit verify binds the acts of single-act entries to the ledger rows', () => {
  let ws: DemoWorkspace;
  let ledgerFile: string;
  let singles: AuditEntry[];

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 4, seed: 5 });
    // Pages of one row: each page's new version is an act alone in its batch.
    await writeFile(
      ws.configFile,
      (await readFile(ws.configFile, 'utf8')).replace('pageSize: 100', 'pageSize: 1'),
    );
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    ledgerFile = join(ws.dir, 'data', 'ledger.db');
    const ledger = await openLedger(`sqlite://${ledgerFile}`, { logger });
    try {
      singles = (await ledger.readAudit({ limit: 100_000 })).filter(
        (e) => e.action === 'issue' && e.licenseId !== null,
      );
    } finally {
      await ledger.close();
    }
    expect(singles.length).toBeGreaterThan(1);
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  const verifyCopy = (tamper?: (db: Database.Database) => void) => verifyTamperedCopy(ledgerFile, 3, tamper);
  const versionIdOf = (e: AuditEntry) => (JSON.parse(e.detail) as { versionId: number }).versionId;

  it('verifies the untouched ledger', async () => {
    expect(await verifyCopy()).toMatchObject({ ok: true });
  });

  it('names the entry of a version whose content hash or number was changed', async () => {
    const e = singles[1] as AuditEntry;
    const changed = await verifyCopy((db) =>
      db
        .prepare('update license_versions set content_hash = ? where version_id = ?')
        .run('0'.repeat(64), versionIdOf(e)),
    );
    expect(changed).toMatchObject({ ok: false, firstBad: { seq: e.seq, kind: 'acts-differ' } });
    if (!changed.ok) expect(changed.firstBad.message).toContain('was changed in the ledger since');
    const moved = await verifyCopy((db) =>
      db
        .prepare('update license_versions set version = version + 10 where version_id = ?')
        .run(versionIdOf(e)),
    );
    expect(moved).toMatchObject({ ok: false, firstBad: { seq: e.seq, kind: 'acts-differ' } });
  });

  it('names the entry of a signature whose digest was changed', async () => {
    const ledger = await openLedger(`sqlite://${ledgerFile}`, { logger });
    let sign: AuditEntry | undefined;
    try {
      sign = (await ledger.readAudit({ limit: 100_000 })).find((e) => e.action === 'sign');
    } finally {
      await ledger.close();
    }
    // Signed in one batch or one by one: either way its entry binds the signature's digest.
    const at = sign as AuditEntry;
    const r = await verifyCopy((db) =>
      db
        .prepare('update signatures set digest = ? where version_id = ?')
        .run('1'.repeat(64), versionIdOf(singles[0] as AuditEntry)),
    );
    expect(r).toMatchObject({ ok: false, firstBad: { kind: 'acts-differ' } });
    if (!r.ok) expect(r.firstBad.seq).toBeGreaterThanOrEqual(at.seq);
  });
});
