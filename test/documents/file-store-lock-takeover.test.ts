// Taking a stale lock over: two runs that found the same stale lock both try, and the slower one
// may come to it after the faster one has made its own lock there. Taking over moved the lock
// aside to see whether it was the stale one and put it back when it was not; meanwhile the name
// was free, and a third run made its lock there: the lock put back failed silently and the
// faster run's was deleted, so two runs held the store and replaced each other's files at paths
// whose SM3 the ledger already held. A run taking over now never moves or removes a lock but the
// stale one it read. The third run's step is run between two of the slower run's calls.
import { spawnSync } from 'node:child_process';
import { link, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LicenseFileStore,
  type LockFiles,
  STORE_LOCK,
  takeOver,
} from '../../adapters/documents/file-store.js';
import { LicbridgeError } from '../../core/errors.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['--version']);
  if (pid === undefined || pid <= 0) throw new Error('no child process was started');
  return pid;
}

describe('taking a stale lock over', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-store-takeover-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** A store whose lock is `held` (a live run's), with the stale lock `stale` a slow run read before. */
  async function store(name: string): Promise<{ root: string; file: string; stale: string; held: string }> {
    const root = join(dir, name);
    await (await new LicenseFileStore(root).lock())();
    const stale = JSON.stringify({ pid: deadPid(), host: hostname(), since: '2026-01-01T00:00:00.000Z' });
    const held = JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:01.000Z' });
    const file = join(root, STORE_LOCK);
    await writeFile(file, held);
    return { root, file, stale, held };
  }

  it('leaves the lock a faster run made in place, whatever a third run does meanwhile', async () => {
    const { root, file, stale, held } = await store('a');
    let third: Promise<() => Promise<void>> | undefined;
    // After the slow run's first call that changes the folder, a third run tries to take the store.
    const once = async <T>(call: Promise<T>): Promise<T> => {
      const out = await call;
      if (third === undefined) {
        third = new LicenseFileStore(root).lock();
        await third.catch(() => undefined);
      }
      return out;
    };
    const io: LockFiles = {
      link: (a, b) => once(link(a, b)),
      readFile: (f, e) => readFile(f, e),
      unlink: (f) => once(unlink(f)),
    };
    await takeOver(file, stale, io);
    // The faster run still holds the store, and the third run was refused.
    expect(await readFile(file, 'utf8')).toBe(held);
    await expect(third).rejects.toBeInstanceOf(LicbridgeError);
    expect((await readdir(root)).filter((n) => n.startsWith(STORE_LOCK))).toEqual([STORE_LOCK]);
  });

  it('removes the stale lock it read, and nothing besides', async () => {
    const { root, file, stale } = await store('b');
    await writeFile(file, stale);
    await takeOver(file, stale);
    expect((await readdir(root)).filter((n) => n.startsWith(STORE_LOCK))).toEqual([]);
    const release = await new LicenseFileStore(root).lock();
    await release();
  });
});
