// `verify --all` reports files in the license-file store that no ledger row lists (a sealed
// license nothing accounts for): how many and the first few by path, in text and JSON; they fail
// nothing verified and need a person, so the run exits 3 (as other findings that need one do),
// and 1 still wins when something failed.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';
import { licbridge } from '../support/cli.js';

const COUNT = 2;

describe('verify --all: files in the store no ledger row lists', () => {
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

  it('with none, reports zero and exits 0', async () => {
    const r = await licbridge(['verify', '--all', '--json', '-c', config]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      attention: false,
      files: { unlisted: { count: 0, first: [] } },
    });
  });

  it('counts and names unlisted files, and exits 3', async () => {
    const source = join(ws.store, (files[0] as StoredLicenseFile).path);
    const extra = ['11370200MB12345674001/1.2.156.3005.2.X/001.ofd', 'stray/copy.ofd'];
    for (const path of extra) {
      mkdirSync(dirname(join(ws.store, path)), { recursive: true });
      copyFileSync(source, join(ws.store, path));
    }
    try {
      const r = await licbridge(['verify', '--all', '--json', '-c', config]);
      expect(r.status).toBe(3);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ ok: true, attention: true });
      expect(report.files.unlisted).toEqual({ count: 2, first: [...extra].sort() });
      expect(report.files).toMatchObject({ checked: COUNT, failed: 0 });

      const text = await licbridge(['verify', '--all', '-c', config]);
      expect(text.status).toBe(3);
      for (const path of extra) expect(text.stdout).toContain(`unlisted ${path}\n`);
      expect(text.stdout).toContain('verify: 2 file(s) in the store that no ledger row lists');

      // A failure as well: exit 1, the unlisted files still reported.
      const victim = join(ws.store, (files[1] as StoredLicenseFile).path);
      const original = readFileSync(victim);
      writeFileSync(victim, Buffer.concat([original, Buffer.from([0])]));
      try {
        const failed = await licbridge(['verify', '--all', '--json', '-c', config]);
        expect(failed.status).toBe(1);
        expect(JSON.parse(failed.stdout)).toMatchObject({
          ok: false,
          attention: false,
          files: { unlisted: { count: 2 } },
        });
      } finally {
        writeFileSync(victim, original);
      }
    } finally {
      rmSync(join(ws.store, extra[0] as string));
      rmSync(join(ws.store, 'stray'), { recursive: true });
    }
  });

  it('does not count the files of a write under way: a version file being written, a lock being taken', async () => {
    // What an issuing run going on beside it has in the store for a moment: a version's
    // temporary file (written, then renamed into place) and the lock's draft and moved-aside copy.
    const listed = join(ws.store, (files[0] as StoredLicenseFile).path);
    const transient = [
      join(dirname(listed), '.001.ofd.3fa2c1d9e0b4.tmp'),
      join(dirname(listed), '.002.ofd.3fa2c1d9.17.tmp'),
      join(ws.store, '.licbridge-issuing.lock.4242.a1b2c3d4e5f6.new'),
      join(ws.store, '.licbridge-issuing.lock.4242.a1b2c3d4e5f6'),
    ];
    for (const path of transient) copyFileSync(listed, path);
    try {
      const r = await licbridge(['verify', '--all', '--json', '-c', config]);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: true,
        attention: false,
        files: { unlisted: { count: 0, first: [] } },
      });
      expect(r.status).toBe(0);
    } finally {
      for (const path of transient) rmSync(path);
    }
  });

  it('names only the first ten of many', async () => {
    const source = join(ws.store, (files[0] as StoredLicenseFile).path);
    mkdirSync(join(ws.store, 'many'));
    for (let i = 0; i < 12; i++)
      copyFileSync(source, join(ws.store, 'many', `${String(i).padStart(2, '0')}.ofd`));
    try {
      const r = await licbridge(['verify', '--all', '--json', '-c', config]);
      const unlisted = JSON.parse(r.stdout).files.unlisted;
      expect(unlisted.count).toBe(12);
      expect(unlisted.first).toHaveLength(10);
      const text = await licbridge(['verify', '--all', '-c', config]);
      expect(text.stdout).toContain(
        'verify: 12 file(s) in the store that no ledger row lists (first 10 named, 2 more)',
      );
    } finally {
      rmSync(join(ws.store, 'many'), { recursive: true });
    }
  });
});
