// `sign files` lays out and seals a page while the page before is written to the store
// (adapters/documents/overlapped-pages.ts): the ledger must still list a file only once it is in
// place with the SM3 and size recorded, and a page that fails must not cost the page before it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { issueFilesBackfill } from '../../pipelines/issue-license-files.js';
import { type FileWorkspace, fileWorkspace, quiet } from '../platforms/license-file-workspace.js';

const ofdFiles = (root: string): string[] =>
  existsSync(root)
    ? (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd')).sort()
    : [];

/** The ledger, its `licenseFiles.record` looking at each file in the store as it is recorded. */
function watchedLedger(ledger: Ledger, store: string, notInPlace: string[]): Ledger {
  const files = new Proxy(ledger.licenseFiles, {
    get(target, key) {
      if (key === 'record') {
        return (rows: StoredLicenseFile[]) => {
          for (const r of rows) {
            const at = join(store, r.path);
            const bytes = existsSync(at) ? readFileSync(at) : undefined;
            const sm3 = bytes && createHash('sm3').update(bytes).digest('hex');
            if (bytes?.length !== r.size || sm3 !== r.sm3) notInPlace.push(r.path);
          }
          return target.record(rows);
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return new Proxy(ledger, {
    get(target, key) {
      if (key === 'licenseFiles') return files;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('sign files: pages sealed while the one before is stored', () => {
  let ws: FileWorkspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  it('records every file only once it is in place, with its SM3 and size', async () => {
    ws = await fileWorkspace(11, 0);
    const notInPlace: string[] = [];
    const summary = await issueFilesBackfill(
      ws.config,
      watchedLedger(ws.ledger, ws.store, notInPlace),
      { seal: 'district-seal', storeRoot: ws.store, pageSize: 3 },
      quiet,
    );
    expect(summary.issued).toBe(11);
    expect(notInPlace).toEqual([]);
    const rows = await ws.ledger.licenseFiles.list({});
    expect(rows.map((r) => r.path).sort()).toEqual(ofdFiles(ws.store).map((f) => f.split('\\').join('/')));
  });

  it('counts the page being stored against --limit: no more files than the limit', async () => {
    ws = await fileWorkspace(11, 0);
    const summary = await issueFilesBackfill(
      ws.config,
      ws.ledger,
      { seal: 'district-seal', storeRoot: ws.store, pageSize: 3, limit: 7 },
      quiet,
    );
    expect(summary.issued).toBe(7);
    expect(await ws.ledger.licenseFiles.list({})).toHaveLength(7);
    expect(ofdFiles(ws.store)).toHaveLength(7);
  });

  it('a page failing while the one before is stored: that one is recorded, the failing one written nowhere', async () => {
    ws = await fileWorkspace(6, 0);
    // Version 5 is on the second page of three: its lineage does not read, which fails that page
    // after it was laid out and sealed, while the first page's files are being written.
    const db = new Database(join(ws.dir, 'ledger.db'));
    try {
      db.prepare('update license_versions set lineage = ? where version_id = ?').run(
        '{"pipeline":',
        ws.versionIds[4],
      );
    } finally {
      db.close();
    }
    const error = await issueFilesBackfill(
      ws.config,
      ws.ledger,
      { seal: 'district-seal', storeRoot: ws.store, pageSize: 3 },
      quiet,
    ).catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain(`the lineage of version ${ws.versionIds[4]}`);
    const rows = await ws.ledger.licenseFiles.list({});
    expect(rows.map((r) => r.versionId)).toEqual(ws.versionIds.slice(0, 3));
    // Nothing on disk the ledger does not list: no file of the failed page, no temporary file.
    const all = readdirSync(ws.store, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.licbridge-issuing'))
      .map((e) => e.name);
    expect(all).toHaveLength(3);
    expect(ofdFiles(ws.store)).toHaveLength(3);
  });
});
