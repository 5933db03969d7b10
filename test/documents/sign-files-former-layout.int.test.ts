// A store written before shelves kept a folder per license (`<type>/<license id>/<NNN>.ofd`). A run
// of that layout killed between writing a page's files and recording them left a file the ledger
// does not list; the next run issues that version again, now on its shelf. The file of the layout
// before is then removed: one file per version, none a ledger row does not account for.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { issueFilesBackfill } from '../../pipelines/issue-license-files.js';
import { type FileWorkspace, fileWorkspace, quiet } from '../platforms/license-file-workspace.js';

describe('sign files over a store of the folder-per-license layout', () => {
  let ws: FileWorkspace;
  beforeEach(async () => {
    ws = await fileWorkspace(3, 1);
  });
  afterEach(async () => {
    await ws?.close();
  });

  it('removes the unrecorded file a killed run of that layout left for a version it issues again', async () => {
    const [second] = await ws.ledger.getVersions([ws.versionIds[1] as number]);
    if (!second) throw new Error('no second version');
    const folder = join(ws.store, second.payload.type.code, second.licenseId);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const former = join(folder, `${String(second.version).padStart(3, '0')}.ofd`);
    writeFileSync(former, 'a sealed license written before shelves, never recorded', { mode: 0o600 });

    const summary = await issueFilesBackfill(
      ws.config,
      ws.ledger,
      { seal: 'district-seal', storeRoot: ws.store, pageSize: 10 },
      quiet,
    );
    expect(summary).toMatchObject({ issued: 2, unlistedRemoved: 1, leftoversRemoved: 0, notInStore: 0 });

    expect(existsSync(former)).toBe(false);
    const listed = (await ws.ledger.licenseFiles.list({})).map((f) => f.path).sort();
    expect(listed).toHaveLength(3);
    expect(await new LicenseFileStore(ws.store).files()).toEqual(listed);
  });
});
