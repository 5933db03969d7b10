/**
 * `audit verify`, `audit show` and `audit export` read the ledger; they never migrate it. An
 * auditor running a new release's verify beside the old release's workers changed the tables
 * under them, and one pointed at a ledger that is not there (a path mistyped) made a new one and
 * called its chain intact (0 entries, exit 0).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { exportAudit, licenseAuditTrail, verifyAuditChain } from '../../pipelines/audit.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const LAST = MIGRATIONS[MIGRATIONS.length - 1] as (typeof MIGRATIONS)[number];
const NOT_APPLIED = /ledger: \d+ migration\(s\) of this release not applied yet/;

describe('licbridge audit on a ledger not migrated by this release', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let file: string;

  beforeAll(async () => {
    // The release's own migrations, run, make the previous release's ledger: not the template.
    ws = await createDemoWorkspace({ rows: 5, ledgerTemplate: false });
    config = await loadConfig({ file: ws.configFile, env: {} });
    file = join(ws.dir, 'data', 'ledger.db');
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('a ledger that is not there: refused naming the file, and nothing is made', async () => {
    expect(existsSync(file)).toBe(false);
    const missing = `SQLite file ${file} is not there`;
    await expect(verifyAuditChain(config, logger)).rejects.toThrow(NOT_APPLIED);
    await expect(verifyAuditChain(config, logger)).rejects.toThrow(missing);
    await expect(licenseAuditTrail(config, 'L-1', logger)).rejects.toThrow(missing);
    await expect(exportAudit(config, { out: join(ws.dir, 'export.jsonl') }, logger)).rejects.toThrow(missing);
    expect(existsSync(join(ws.dir, 'export.jsonl'))).toBe(false);
    // No empty file is left at the path: a writer later pointed there would take it for a new
    // ledger. Nor a folder, when the path's folder is mistyped too.
    expect(existsSync(file)).toBe(false);
    const typo = join(ws.dir, 'dta', 'ledger.db');
    const mistyped = { ...config, ledger: { ...config.ledger, url: `sqlite://${typo}` } };
    await expect(verifyAuditChain(mistyped, logger)).rejects.toThrow(`SQLite file ${typo} is not there`);
    expect(existsSync(join(ws.dir, 'dta'))).toBe(false);
  });

  it("the previous release's ledger: refused, and left as it was", async () => {
    await (await openLedger(`sqlite://${file}`, { logger })).close();
    const raw = rawKnex(`sqlite://${file}`);
    try {
      await LAST.down(raw);
      await raw('ledger_migrations').where({ name: LAST.name }).delete();
      await expect(verifyAuditChain(config, logger)).rejects.toThrow(NOT_APPLIED);
      expect(await raw('ledger_migrations').pluck('name')).not.toContain(LAST.name);
    } finally {
      await raw.destroy();
    }
  });
});
