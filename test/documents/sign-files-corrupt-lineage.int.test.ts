// A version whose lineage does not read (a damaged ledger row) fails its page of license files
// before any file of the page is written: nothing lands in the store that the ledger does not list.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import { issueFilesBackfill } from '../../pipelines/issue-license-files.js';
import { type FileWorkspace, fileWorkspace, quiet } from '../platforms/license-file-workspace.js';

const ofdFiles = (root: string): string[] =>
  existsSync(root)
    ? (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd'))
    : [];

describe('sign files: a version whose lineage does not read', () => {
  let ws: FileWorkspace;
  beforeEach(async () => {
    ws = await fileWorkspace(2, 0);
  });
  afterEach(async () => {
    await ws?.close();
  });

  it('fails the page as a ledger error with no file written', async () => {
    const db = new Database(join(ws.dir, 'ledger.db'));
    try {
      db.prepare('update license_versions set lineage = ? where version_id = ?').run(
        '{"pipeline":',
        ws.versionIds[1],
      );
    } finally {
      db.close();
    }
    const error = await issueFilesBackfill(
      ws.config,
      ws.ledger,
      { seal: 'district-seal', storeRoot: ws.store, pageSize: 10 },
      quiet,
    ).catch((e: unknown) => e);
    expect(isLicbridgeError(error) && error.code).toBe('LB_LEDGER');
    expect(String((error as Error).message)).toContain(`the lineage of version ${ws.versionIds[1]}`);
    expect(ofdFiles(ws.store)).toEqual([]);
    expect(await ws.ledger.licenseFiles.list({})).toEqual([]);
  });
});
