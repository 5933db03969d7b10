// `verify --all` over a ledger one of whose stored license texts does not read (cut short, damaged
// bytes): that version fails, named by license id and version, and every other version and
// license file is still checked. Reading it threw out of the whole verification ('ledger: the
// payload of version 2 does not read'), so an auditor got no report of the rest.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { pipelinesToSign, signBackfill } from '../../pipelines/batch-sign/backfill.js';
import { verifyLedger } from '../../pipelines/verify/ledger.js';
import { createSignWorkspace, PIPELINE, type SignWorkspace, seedVersions } from '../cli/sign-workspace.js';

const logger = createLogger({ level: 'silent' });
const COUNT = 5;
const BROKEN = 2;

describe('verify --all: a stored license text that does not read', () => {
  let ws: SignWorkspace;
  let config: Readonly<Config>;
  let brokenId = '';
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, COUNT);
    config = await loadConfig({ file: ws.configFile, env: {} });
    await signBackfill(config, logger, { pipelines: pipelinesToSign(config, undefined), pageSize: 10 });
    // A file the ledger lists for the damaged version and one for the next (not sealed files:
    // they fail on their own, and must be looked at).
    const ledger = await openLedger(`sqlite://${ws.ledgerFile}`, { logger });
    try {
      const versions = await ledger.getVersions([BROKEN, BROKEN + 1]);
      await mkdir(join(ws.dir, 'store', 'T'), { recursive: true });
      await ledger.licenseFiles.record(
        await Promise.all(
          versions.map(async (v) => {
            const path = `T/${v.versionId}.ofd`;
            await writeFile(join(ws.dir, 'store', path), 'not an ofd');
            return {
              versionId: v.versionId,
              licenseId: v.licenseId,
              version: v.version,
              pipeline: PIPELINE,
              path,
              sm3: 'x',
              size: 10,
              seal: 'district-stamp',
              signedAt: new Date(),
            };
          }),
        ),
      );
      brokenId = (versions[0] as { licenseId: string }).licenseId;
    } finally {
      await ledger.close();
    }
    const db = new Database(ws.ledgerFile);
    try {
      db.prepare('update license_versions set payload = ? where version_id = ?').run('{"number":"X', BROKEN);
    } finally {
      db.close();
    }
  });
  afterAll(() => ws.cleanup());

  it('fails that version, naming it, and checks every other version and file', async () => {
    const report = await verifyLedger(config, { store: join(ws.dir, 'store') }, logger);
    expect(report.ok).toBe(false);
    expect(report.signatures).toMatchObject({ versions: COUNT, signatures: COUNT, failed: 1 });
    expect(report.signatures.results.filter((r) => !r.ok)).toEqual([
      expect.objectContaining({
        licenseId: brokenId,
        version: 1,
        versionId: BROKEN,
        ok: false,
        reasons: [expect.stringContaining('stored text does not read')],
      }),
    ]);
    expect(report.files.checked).toBe(2);
    expect(report.files.failed).toBe(2);
    expect(report.files.results.map((r) => r.versionId)).toEqual([BROKEN, BROKEN + 1]);
  });
});
