// `licbridge verify --all` covers license files: each file the ledger lists must be in the store
// with the ledger's SM3 and size and pass what `verify --file` checks; a changed or missing file
// fails the run naming it, and without a known store the files count as not checked (a failure).
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';
import { licbridge } from '../support/cli.js';

const COUNT = 3;

describe('verify --all: license files', () => {
  let ws: FileWorkspace;
  let config: string;
  let files: StoredLicenseFile[];
  beforeAll(async () => {
    ws = await fileWorkspace(COUNT, COUNT, { signed: 'none' });
    config = join(ws.dir, 'licbridge.yaml');
    const signed = await licbridge(['sign', 'backfill', '--json', '-c', config]);
    expect(signed.status, signed.stderr).toBe(0);
    files = await ws.ledger.licenseFiles.list({});
  });
  afterAll(async () => {
    await ws?.close();
  });

  const verifyAll = async (...extra: string[]) => {
    const r = await licbridge(['verify', '--all', '--json', '-c', config, ...extra]);
    return { status: r.status, report: JSON.parse(r.stdout) as Record<string, unknown> & { files: Files } };
  };
  type Files = {
    checked: number;
    failed: number;
    unchecked: number;
    failures: { licenseId: string; path: string; reasons: string[] }[];
  };

  it('checks every file the store holds as the ledger recorded, and counts them', async () => {
    const { status, report } = await verifyAll();
    expect(report).toMatchObject({ versions: COUNT, signatures: COUNT, failed: 0, ok: true });
    expect(report.files, JSON.stringify(report.files)).toEqual({
      checked: COUNT,
      failed: 0,
      unchecked: 0,
      failures: [],
      notes: [],
      unlisted: { count: 0, first: [] },
    });
    expect(status).toBe(0);
    const text = await licbridge(['verify', '--all', '-c', config]);
    expect(text.stdout).toContain(`verify: ${COUNT} license file(s): all valid`);
  });

  it('fails on a file changed by one byte, naming it', async () => {
    const victim = files[0] as StoredLicenseFile;
    const path = join(ws.store, victim.path);
    const original = readFileSync(path);
    const changed = Buffer.from(original);
    changed[100] = (changed[100] as number) ^ 0x01;
    writeFileSync(path, changed);
    try {
      const { status, report } = await verifyAll();
      expect(status).toBe(1);
      expect(report.ok).toBe(false);
      expect(report.files).toMatchObject({ checked: COUNT, failed: 1 });
      expect(report.files.failures[0]).toMatchObject({ licenseId: victim.licenseId, path: victim.path });
      expect(report.files.failures[0]?.reasons.join(' ')).toContain('not the file the ledger recorded');
      const text = await licbridge(['verify', '--all', '-c', config]);
      expect(text.stdout).toContain(`FAIL ${victim.licenseId} v${victim.version} file ${victim.path}:`);
      expect(text.stdout).toContain(`verify: ${COUNT} license file(s): 1 failed`);
    } finally {
      writeFileSync(path, original);
    }
  });

  it('fails on a changed file whose new SM3 was written into the ledger too: the OFD itself no longer verifies', async () => {
    const victim = files[1] as StoredLicenseFile;
    const path = join(ws.store, victim.path);
    const original = readFileSync(path);
    // One byte changed inside the package, and the ledger made to agree with the change.
    const swapped = Buffer.from(original);
    swapped[100] = (swapped[100] as number) ^ 0x01;
    writeFileSync(path, swapped);
    const db = new Database(join(ws.dir, 'ledger.db'));
    const setRow = db.prepare('update license_files set sm3 = ?, size = ? where version_id = ?');
    setRow.run(createHash('sm3').update(swapped).digest('hex'), swapped.length, victim.versionId);
    try {
      const { status, report } = await verifyAll();
      expect(status).toBe(1);
      expect(report.files.failures.map((f) => f.path)).toEqual([victim.path]);
      expect(report.files.failures[0]?.reasons.join(' ')).not.toContain('not the file the ledger recorded');
      // The changed byte lies in OFD.xml: its entry no longer reads back.
      expect(report.files.failures[0]?.reasons.join(' ')).toMatch(/zip: OFD\.xml: /);
    } finally {
      setRow.run(victim.sm3, victim.size, victim.versionId);
      db.close();
      writeFileSync(path, original);
    }
  });

  it('prints what a failing file says (a part named with escape sequences) without any, in text or JSON', async () => {
    const victim = files[2] as StoredLicenseFile;
    const path = join(ws.store, victim.path);
    const original = readFileSync(path);
    // A part no signature covers, named to clear the screen and recolour; the ledger made to agree.
    const archive = readZip(original);
    const parts = archive.names.map((name) => ({ name, data: Buffer.from(archive.read(name)) }));
    parts.push({ name: 'Doc_0/x\u001b[2J\u009b31m\u202e.xml', data: Buffer.from('<x/>') });
    const hostile = writeZip(parts, new Date());
    writeFileSync(path, hostile);
    const db = new Database(join(ws.dir, 'ledger.db'));
    const setRow = db.prepare('update license_files set sm3 = ?, size = ? where version_id = ?');
    setRow.run(createHash('sm3').update(hostile).digest('hex'), hostile.length, victim.versionId);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
    const unsafe = /[\u001b\u0007\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;
    try {
      const text = await licbridge(['verify', '--all', '-c', config]);
      expect(text.status).toBe(1);
      expect(text.stdout).toContain('is not covered by any signature');
      expect(unsafe.exec(text.stdout)?.[0]).toBeUndefined();
      const json = await licbridge(['verify', '--all', '--json', '-c', config]);
      expect(json.status).toBe(1);
      expect(unsafe.exec(json.stdout)?.[0]).toBeUndefined();
      // The same report, its values intact once parsed.
      const report = JSON.parse(json.stdout) as { files: Files };
      expect(report.files.failures[0]?.reasons.join(' ')).toContain('\u001b[2J');
    } finally {
      setRow.run(victim.sm3, victim.size, victim.versionId);
      db.close();
      writeFileSync(path, original);
    }
  });

  it("fails on another license's valid sealed file recorded in a version's place, naming both licenses", async () => {
    const [source, victim] = files as [StoredLicenseFile, StoredLicenseFile];
    const path = join(ws.store, victim.path);
    const original = readFileSync(path);
    const other = readFileSync(join(ws.store, source.path));
    writeFileSync(path, other);
    const db = new Database(join(ws.dir, 'ledger.db'));
    const setRow = db.prepare('update license_files set sm3 = ?, size = ? where version_id = ?');
    setRow.run(createHash('sm3').update(other).digest('hex'), other.length, victim.versionId);
    try {
      const { status, report } = await verifyAll();
      expect(status).toBe(1);
      expect(report.files.failures.map((f) => f.path)).toEqual([victim.path]);
      // The swapped file is itself sound: only its license is wrong.
      expect(report.files.failures[0]?.reasons).toEqual([
        `the file of ${source.licenseId}.001.F, not of this version (${victim.licenseId}.001.F)`,
      ]);
    } finally {
      setRow.run(victim.sm3, victim.size, victim.versionId);
      db.close();
      writeFileSync(path, original);
    }
  });

  it('fails on a file missing from the store', async () => {
    const victim = files[COUNT - 1] as StoredLicenseFile;
    const path = join(ws.store, victim.path);
    renameSync(path, `${path}.away`);
    try {
      const { status, report } = await verifyAll();
      expect(status).toBe(1);
      expect(report.files.failures.map((f) => f.path)).toEqual([victim.path]);
      expect(report.files.failures[0]?.reasons.join(' ')).toContain('missing from the file store');
    } finally {
      renameSync(`${path}.away`, path);
    }
  });

  it('takes --store over the config, and fails with the files unchecked when neither names a store', async () => {
    const bare = join(ws.dir, 'no-store.yaml');
    writeFileSync(bare, readFileSync(config, 'utf8').replace('licenseFiles: { store: ./files }\n', ''));
    const unchecked = await licbridge(['verify', '--all', '--json', '-c', bare]);
    expect(unchecked.status).toBe(1);
    expect(JSON.parse(unchecked.stdout).files).toMatchObject({ checked: 0, unchecked: COUNT });
    const text = await licbridge(['verify', '--all', '-c', bare]);
    expect(text.stdout).toContain(
      `${COUNT} not checked: no file store (pass --store or set licenseFiles.store)`,
    );

    const withFlag = await licbridge(['verify', '--all', '--json', '-c', bare, '--store', ws.store]);
    expect(withFlag.status).toBe(0);
    expect(JSON.parse(withFlag.stdout).files).toMatchObject({ checked: COUNT, failed: 0 });
  });
});
