// A run of page folders killed (SIGKILL) at each point of a page — before its marker, after the
// marker before any file, mid-files, after the files before the ledger's commit, after the commit
// before the marker went — leaves a store the next run's removeLeftovers cleans up: no file the
// ledger does not record, none it records removed, no page folder left empty, no marker left.
// The page's batch runs in a process of its own (the writing thread's code, place-batch.ts),
// killed by the hook at the point (LICBRIDGE_TEST_CRASH_AT); the last two are the states a kill
// leaves once putMany returned.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AtomicFile } from '../../adapters/documents/atomic-file.js';
import type { PageFile, StoredFile } from '../../adapters/documents/file-store.js';
import { placeBatch } from '../../adapters/documents/place-batch.js';
import { makeTempDir } from '../signers/helpers.js';

/** Set, the next batch runs in a child killed at this point (`<point>:<n>`). */
let crashAt: string | undefined;

vi.mock('../../adapters/documents/atomic-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../adapters/documents/atomic-file.js')>();
  return {
    ...real,
    writeFilesAtomic: async (
      files: readonly AtomicFile[],
      options: Parameters<typeof real.writeFilesAtomic>[1],
    ) => {
      if (crashAt === undefined) return real.writeFilesAtomic(files, options);
      const batch = {
        files: files.map((f) => ({ path: f.path, data: Buffer.from(f.data).toString('base64') })),
        mode: options?.mode ?? 0o644,
        dirMode: options?.dirMode,
        marker: options?.marker && {
          path: options.marker.path,
          data: Buffer.from(options.marker.data).toString('base64'),
        },
        fresh: options?.fresh,
        tag: 'c0ffee.1',
        chunk: 2,
      };
      const child = spawnSync(
        process.execPath,
        [
          '-e',
          `const place = (${placeBatch.toString()});
           const b = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
           b.files = b.files.map((f) => ({ path: f.path, data: Buffer.from(f.data, 'base64') }));
           if (b.marker) b.marker.data = Buffer.from(b.marker.data, 'base64');
           place(require('node:fs'), require('node:path'), b).then((f) => { if (f) { console.error(f.message); process.exit(1); } });`,
        ],
        {
          input: JSON.stringify(batch),
          env: { ...process.env, LICBRIDGE_TEST_CRASH_AT: crashAt },
          encoding: 'utf8',
        },
      );
      crashAt = undefined;
      if (child.signal !== 'SIGKILL')
        throw new Error(`the batch was not killed: ${child.status} ${child.stderr}`);
      throw new Error('killed');
    },
  };
});

const { LicenseFileStore } = await import('../../adapters/documents/file-store.js');

function fakeLedger() {
  const paths = new Set<string>();
  return {
    paths,
    ledger: { recorded: async (files: readonly PageFile[]) => files.map((f) => paths.has(f.path)) },
  };
}

const items = (ids: string[]) =>
  ids.map((licenseId) => ({
    typeCode: 'T1',
    licenseId,
    version: 1,
    bytes: Buffer.from(`sealed ${licenseId}`),
  }));

const PAGE = ['L.1', 'L.2', 'L.3', 'L.4'];

describe('file store page folders: a run killed at each point of a page', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    crashAt = undefined;
  });
  afterEach(() => cleanup());

  /**
   * A page recorded, then the page of `PAGE` killed at `at` (or left at a state putMany returns
   * to); then the rerun: its clean-up, the versions the ledger does not list issued again and
   * recorded. Returns the recorded page's paths, what the clean-up removed, and the store after.
   */
  async function killedThenRerun(at: string | 'stored' | 'committed') {
    const { ledger, paths } = fakeLedger();
    const run = new LicenseFileStore(dir, { ledger });
    const kept = await run.putMany(items(['L.0']));
    for (const s of kept) paths.add(s.path);
    await run.pageRecorded(kept);
    let left: StoredFile[] = [];
    if (at === 'stored' || at === 'committed') {
      left = await run.putMany(items(PAGE));
      // Committed: the ledger lists the page, and the run was killed before the marker went.
      if (at === 'committed') for (const s of left) paths.add(s.path);
    } else {
      crashAt = at;
      await expect(run.putMany(items(PAGE))).rejects.toThrow('killed');
    }
    const rerun = new LicenseFileStore(dir, { ledger });
    const removed = await rerun.removeLeftovers();
    const markers = readdirSync(join(dir, '.licbridge-pages'));
    const afterCleanUp = await rerun.files();
    const again = items(PAGE).filter((i) => ![...paths].some((p) => p.includes(`/${i.licenseId}.001.ofd`)));
    if (again.length > 0) {
      const stored = await rerun.putMany(again);
      for (const s of stored) paths.add(s.path);
      await rerun.pageRecorded(stored);
    }
    return { kept, left, removed, markers, afterCleanUp, paths, rerun };
  }

  /** How many entries each page folder under T1's month holds, fewest first. */
  const pageFolders = () => {
    const month = join(dir, 'T1', new Date().toISOString().slice(0, 7));
    return readdirSync(month)
      .flatMap((b) => readdirSync(join(month, b)).map((p) => readdirSync(join(month, b, p)).length))
      .sort((a, b) => a - b);
  };

  for (const at of ['files-page-begun:1', 'files-page-marked:1', 'files-batch-flushed:2']) {
    it(`killed at ${at}: the rerun leaves only the files the ledger records, no page folder empty, no marker`, async () => {
      const { kept, removed, markers, afterCleanUp, paths, rerun } = await killedThenRerun(at);
      expect(markers).toEqual([]);
      expect(afterCleanUp).toEqual(kept.map((s) => s.path));
      // Mid-files, two files were in place and two temporary files written: all four went.
      expect(removed).toBe(at === 'files-batch-flushed:2' ? 4 : 0);
      // The page recorded, and the one the rerun issued: no folder of the killed page is left.
      expect(pageFolders()).toEqual([1, PAGE.length]);
      expect(await rerun.files()).toEqual([...paths].sort());
      expect(readdirSync(join(dir, '.licbridge-pages'))).toEqual([]);
    });
  }

  it('killed after the files, before the ledger committed: the rerun removes them and their folder', async () => {
    const { kept, left, removed, markers, afterCleanUp, paths, rerun } = await killedThenRerun('stored');
    expect(removed).toBe(PAGE.length);
    expect(markers).toEqual([]);
    expect(afterCleanUp).toEqual(kept.map((s) => s.path));
    for (const s of left) expect(existsSync(join(dir, s.path))).toBe(false);
    expect(pageFolders()).toEqual([1, PAGE.length]);
    expect(await rerun.files()).toEqual([...paths].sort());
  });

  it('killed after the ledger committed, before the marker went: the rerun keeps every file and takes the marker', async () => {
    const { left, removed, markers, afterCleanUp, paths } = await killedThenRerun('committed');
    expect(removed).toBe(0);
    expect(markers).toEqual([]);
    expect(afterCleanUp).toEqual([...paths].sort());
    for (const s of left) expect(existsSync(join(dir, s.path))).toBe(true);
    expect(pageFolders()).toEqual([1, PAGE.length]);
  });

  it('a killed page whose bucket holds a recorded page leaves the bucket, and a lone one takes its month', async () => {
    await killedThenRerun('files-batch-flushed:1');
    const month = join(dir, 'T1', new Date().toISOString().slice(0, 7));
    expect(readdirSync(month)).toEqual(['00000']);
    const lone = join(dir, 'lone');
    const { ledger } = fakeLedger();
    crashAt = 'files-batch-flushed:2';
    await expect(new LicenseFileStore(lone, { ledger }).putMany(items(PAGE))).rejects.toThrow('killed');
    await new LicenseFileStore(lone, { ledger }).removeLeftovers();
    expect(readdirSync(join(lone, 'T1'))).toEqual([]);
  });
});
