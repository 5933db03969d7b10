// `sign backfill --files` given another store root than the one the ledger's files are in: those
// versions count as done (the ledger keeps paths relative to the store root), so nothing is issued
// for them. In text mode it says so, and which root to give, as `sign files` does; exit 3.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';
import { licbridge } from '../support/cli.js';

describe('sign backfill --files and a store other than the ledger’s', () => {
  let ws: FileWorkspace;
  let config: string;
  beforeAll(async () => {
    ws = await fileWorkspace(3, 0);
    config = join(ws.dir, 'licbridge.yaml');
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('prints which files the store lacks and which root to give, in text mode', async () => {
    const first = await licbridge(['sign', 'files', '--seal', 'district-seal', '--limit', '1', '-c', config]);
    expect(first.status, first.stderr).toBe(0);
    const other = join(ws.dir, 'other-store');
    const r = await licbridge([
      'sign',
      'backfill',
      '--files',
      '--seal',
      'district-seal',
      '--store',
      other,
      '-c',
      config,
    ]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout).toContain('license files: 2 issued');
    expect(r.stdout).toContain(
      `sign backfill: 1 of the first 100 file(s) the ledger lists are not in ${other}: the ledger keeps each file's path relative to the store root, not the root`,
    );
    expect(r.stdout).toContain("give that store's root (`--store`, `licenseFiles.store`)");
  });
});
