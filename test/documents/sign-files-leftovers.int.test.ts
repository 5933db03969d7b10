// What an issuing run leaves in the file store when it dies, and what the next run does with it:
// temporary files of a batch killed mid-way (whole sealed licenses) are removed under the store's
// lock and counted without naming them; and a run given a store root other than the one the
// ledger's files went to says so instead of reporting success over an empty store.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { issueFilesBackfill } from '../../pipelines/issue-license-files.js';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';
import { licbridge } from '../support/cli.js';

function capturing(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const destination = { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream;
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

const ofdFiles = (root: string): string[] =>
  existsSync(root)
    ? (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd'))
    : [];

describe('sign files: what a killed run left in the store', () => {
  let ws: FileWorkspace;
  beforeEach(async () => {
    ws = await fileWorkspace(3, 1);
  });
  afterEach(async () => {
    await ws?.close();
  });

  it('removes the temporary files of a batch killed mid-way, counted in a log line that names none', async () => {
    const [first] = await ws.ledger.licenseFiles.list({});
    const folder = join(ws.store, dirname(first?.path as string));
    // A second license's folder, made by the killed batch, holding only its temporary file.
    const fresh = join(dirname(folder), `${first?.licenseId.slice(0, -1)}Z`);
    mkdirSync(fresh, { mode: 0o700 });
    const sealed = Buffer.from('a sealed license, with its holder on the face');
    // As placeBatch names them (`.<name>.<process tag>.<batch>.<n>.tmp`) and writeFileAtomic does.
    const leftovers = [
      join(folder, '.002.ofd.0a1b2c3d.7.41.tmp'),
      join(fresh, '.001.ofd.0a1b2c3d.7.42.tmp'),
      join(folder, '.003.ofd.a1b2c3d4e5f6.tmp'),
    ];
    for (const f of leftovers) writeFileSync(f, sealed, { mode: 0o600 });
    // Not the store's temporary names: left alone.
    const others = [
      join(folder, 'README.tmp'),
      join(folder, '.001.ofd.notes'),
      join(ws.store, '.x.ofd.ab.tmp'),
    ];
    for (const f of others) writeFileSync(f, 'kept');

    const { lines, logger } = capturing();
    const summary = await issueFilesBackfill(
      ws.config,
      ws.ledger,
      { seal: 'district-seal', storeRoot: ws.store, pageSize: 10 },
      logger,
    );

    expect(summary).toMatchObject({ issued: 2, leftoversRemoved: 3, notInStore: 0 });
    for (const f of leftovers) expect(existsSync(f), f).toBe(false);
    for (const f of others) expect(existsSync(f), f).toBe(true);
    const said = lines.filter((l) => l.includes('temporary file'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(
      'removed 3 temporary file(s) left in the file store by an issuing run killed mid-batch',
    );
    expect(said[0]).not.toContain(first?.licenseId as string);
    expect(said[0]).not.toContain('.tmp');

    // Nothing left: the next run removes nothing and says nothing of it.
    const again = capturing();
    const next = await issueFilesBackfill(
      ws.config,
      ws.ledger,
      { seal: 'district-seal', storeRoot: ws.store, pageSize: 10 },
      again.logger,
    );
    expect(next).toMatchObject({ issued: 0, leftoversRemoved: 0 });
    expect(again.lines.filter((l) => l.includes('temporary file'))).toEqual([]);
  });

  it('a run given another store root than the files went to says they are not there and exits 3', async () => {
    await ws.issue(1);
    const other = join(ws.dir, 'other-store');
    const base = [
      'sign',
      'files',
      '--seal',
      'district-seal',
      '--store',
      other,
      '-c',
      join(ws.dir, 'licbridge.yaml'),
    ];

    const json = await licbridge([...base, '--json']);
    expect(json.status, json.stderr).toBe(3);
    // The ledger lists 2 files, in ./files; the one version left is issued here.
    expect(JSON.parse(json.stdout)).toMatchObject({ issued: 1, notInStore: 2 });
    expect(ofdFiles(other)).toHaveLength(1);

    // Every version has a file now: nothing to issue, and still not a silent success.
    const text = await licbridge(base);
    expect(text.status, text.stderr).toBe(3);
    expect(text.stdout).toContain('sign files: 0 file(s) issued (0 bytes)');
    expect(text.stdout).toContain(
      `sign files: 2 of the first 100 file(s) the ledger lists are not in ${other}: the ledger keeps each file's path relative to the store root, not the root`,
    );

    // The configured store lacks the file issued into the other root: said too.
    const right = await licbridge([
      'sign',
      'files',
      '--seal',
      'district-seal',
      '--json',
      '-c',
      join(ws.dir, 'licbridge.yaml'),
    ]);
    expect(right.status, right.stderr).toBe(3);
    expect(JSON.parse(right.stdout)).toMatchObject({ issued: 0, notInStore: 1 });
  });
});
