// One issuing run per file store: a second is refused naming the holder, a lock left by a process
// of this host that is gone is taken over, and one from another host is never guessed stale.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LicenseFileStore, STORE_LOCK } from '../../adapters/documents/file-store.js';
import { LicbridgeError } from '../../core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-store-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  // `--version` answers before node starts its runtime: a process that is gone at once.
  const { pid } = spawnSync(process.execPath, ['--version']);
  if (pid === undefined || pid <= 0) throw new Error('no child process was started');
  return pid;
}

describe('the file store lock', () => {
  it('refuses a second issuing run until the first releases', async () => {
    const root = join(dir, 'a');
    const release = await new LicenseFileStore(root).lock();
    expect(existsSync(join(root, STORE_LOCK))).toBe(true);
    const second = new LicenseFileStore(root).lock();
    await expect(second).rejects.toBeInstanceOf(LicbridgeError);
    await expect(new LicenseFileStore(root).lock()).rejects.toThrow(
      new RegExp(`another run is issuing files into it \\(process ${process.pid} on ${hostname()} since `),
    );
    await release();
    expect(existsSync(join(root, STORE_LOCK))).toBe(false);
    const again = await new LicenseFileStore(root).lock();
    await again();
  });

  it('takes over a lock left by a process of this host that is gone', async () => {
    const root = join(dir, 'b');
    await new LicenseFileStore(root).lock(); // creates the folder; left held on purpose
    const pid = deadPid();
    writeFileSync(
      join(root, STORE_LOCK),
      JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00Z' }),
    );
    const release = await new LicenseFileStore(root).lock();
    await release();
  });

  it('never takes a lock of another host for stale', async () => {
    const root = join(dir, 'c');
    const release = await new LicenseFileStore(root).lock();
    await release();
    writeFileSync(
      join(root, STORE_LOCK),
      JSON.stringify({ pid: deadPid(), host: `${hostname()}-other`, since: '2026-01-01T00:00:00Z' }),
    );
    await expect(new LicenseFileStore(root).lock()).rejects.toThrow(/on .*-other since 2026-01-01/);
  });

  it('lets exactly one of two runs that find the same stale lock take the store', async () => {
    // Taking over was read, unlink, create: the second run could unlink the lock the first had
    // just made, and both issued files into the store. Run many times: the race is a window.
    // The trials run in lanes, each on its own store, side by side: a trial is mostly waiting on
    // the file system, and the two runs of each trial still race only each other for its lock.
    const pid = deadPid();
    const LANES = 8;
    const trial = async (root: string, n: number) => {
      rmSync(root, { recursive: true, force: true });
      await new LicenseFileStore(root).lock().then((release) => release());
      writeFileSync(join(root, STORE_LOCK), JSON.stringify({ pid, host: hostname(), since: `trial ${n}` }));
      const both = await Promise.allSettled([
        new LicenseFileStore(root).lock(),
        new LicenseFileStore(root).lock(),
      ]);
      const held = both.filter((r) => r.status === 'fulfilled');
      expect(held).toHaveLength(1);
      const refused = both.find((r) => r.status === 'rejected');
      expect(refused?.status === 'rejected' && String(refused.reason)).toMatch(
        new RegExp(`another run is issuing files into it \\(process ${process.pid} on `),
      );
      // The lock the winner holds is in place: a third run is refused too.
      await expect(new LicenseFileStore(root).lock()).rejects.toBeInstanceOf(LicbridgeError);
      if (held[0]?.status === 'fulfilled') await held[0].value();
    };
    let trials = 0;
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        for (let n = lane; n < 200; n += LANES) {
          await trial(join(dir, `d${lane}`), n);
          trials++;
        }
      }),
    );
    expect(trials).toBe(200);
  });
});
