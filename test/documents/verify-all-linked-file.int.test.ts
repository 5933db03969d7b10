// `licbridge verify --all` checks the store's own files. A license file replaced by a symbolic link
// to an identical copy outside the store passed: the store was read through the link. It now fails,
// naming the file and saying it is a link, not the store's file.
import { copyFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';
import { licbridge } from '../support/cli.js';

describe('verify --all: a license file replaced by a link', () => {
  let ws: FileWorkspace;
  let config: string;
  let files: StoredLicenseFile[];
  beforeAll(async () => {
    ws = await fileWorkspace(2, 2, { signed: 'none' });
    config = join(ws.dir, 'licbridge.yaml');
    const signed = await licbridge(['sign', 'backfill', '--json', '-c', config]);
    expect(signed.status, signed.stderr).toBe(0);
    files = await ws.ledger.licenseFiles.list({});
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('fails on a link to an identical copy outside the store, naming it', async () => {
    const victim = files[0] as StoredLicenseFile;
    const path = join(ws.store, victim.path);
    const copy = join(ws.dir, 'outside-copy.ofd');
    copyFileSync(path, copy);
    rmSync(path);
    symlinkSync(copy, path);
    try {
      const r = await licbridge(['verify', '--all', '--json', '-c', config]);
      const report = JSON.parse(r.stdout) as {
        files: { checked: number; failed: number; failures: { path: string; reasons: string[] }[] };
      };
      expect(r.status).toBe(1);
      expect(report.files).toMatchObject({ checked: 2, failed: 1 });
      expect(report.files.failures.map((f) => f.path)).toEqual([victim.path]);
      expect(report.files.failures[0]?.reasons.join(' ')).toContain(
        `${path} is not the store's file but a link (to ${copy})`,
      );
    } finally {
      rmSync(path);
      renameSync(copy, path);
    }
  });
});
