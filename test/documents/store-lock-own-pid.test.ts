// A lock naming this process's own pid. A container restarted after a crash keeps its host name
// and often gives the new process the pid the killed holder had (1, or another low one), so
// `kill(pid, 0)` answered for the new process itself and every rerun was refused until the lock was
// removed by hand. Such a lock is this process's only if its run is one this process holds.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { LicenseFileStore, STORE_LOCK } from '../../adapters/documents/file-store.js';
import { LicbridgeError } from '../../core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-store-lock-own-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A store whose lock is `holder` with this host's name, as a run of another process left it. */
async function storeLockedBy(name: string, holder: Record<string, unknown>): Promise<string> {
  const root = join(dir, name);
  await (await new LicenseFileStore(root).lock())();
  writeFileSync(
    join(root, STORE_LOCK),
    JSON.stringify({ host: hostname(), since: '2026-01-01T00:00:00Z', ...holder }),
  );
  return root;
}

const otherRun = () => randomBytes(8).toString('hex');

describe('a store lock with this process pid', () => {
  it("is taken over when its run is not one of this process's (a crash, then a restart)", async () => {
    const root = await storeLockedBy('crashed', { pid: process.pid, run: otherRun() });
    const release = await new LicenseFileStore(root).lock();
    const now = JSON.parse(readFileSync(join(root, STORE_LOCK), 'utf8')) as { pid: number; since: string };
    expect(now.since).not.toBe('2026-01-01T00:00:00Z');
    await release();
  });

  it('is taken over when it names an earlier process of this pid in the same thread', async () => {
    const root = await storeLockedBy('earlier', {
      pid: process.pid,
      run: otherRun(),
      thread: threadId,
      boot: 'a boot before this one',
      started: '1',
    });
    const release = await new LicenseFileStore(root).lock();
    await release();
  });

  it('is never taken over while a run of this process holds it', async () => {
    const root = join(dir, 'held');
    const first = await new LicenseFileStore(root).lock();
    const held = readFileSync(join(root, STORE_LOCK), 'utf8');
    const both = await Promise.allSettled([
      new LicenseFileStore(root).lock(),
      new LicenseFileStore(root).lock(),
    ]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of both) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LicbridgeError);
    expect(readFileSync(join(root, STORE_LOCK), 'utf8')).toBe(held);
    await first();
    const again = await new LicenseFileStore(root).lock();
    await again();
  });

  it('is left when another thread of this very process took it', async () => {
    // That thread's runs are not seen from this one: its lock may be a live run's.
    // This process's own lock, as another of its threads would write it but for the thread.
    const probe = join(dir, 'probe');
    const release = await new LicenseFileStore(probe).lock();
    const own = JSON.parse(readFileSync(join(probe, STORE_LOCK), 'utf8')) as Record<string, unknown>;
    await release();
    const root = await storeLockedBy('thread', { ...own, run: otherRun(), thread: threadId + 1 });
    await expect(new LicenseFileStore(root).lock()).rejects.toThrow(
      new RegExp(`another run is issuing files into it \\(process ${process.pid} on `),
    );
  });
});
