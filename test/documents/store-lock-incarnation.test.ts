// A lock whose pid is alive but names another process than the one that took it: the host booted
// since, or the pid went to another process (a container restarted after a crash hands out low
// pids again). Such a lock is stale; a live holder's never is — two runs in one store would
// replace each other's files, worse than a refusal. Where there is no /proc, the pid alone decides.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LicenseFileStore, STORE_LOCK } from '../../adapters/documents/file-store.js';
import { lockStore, type ProcFacts } from '../../adapters/documents/store-lock.js';
import { LicbridgeError } from '../../core/errors.js';

const HAS_PROC = existsSync('/proc/self/stat') && existsSync('/proc/sys/kernel/random/boot_id');
const dir = mkdtempSync(join(tmpdir(), 'lb-store-lock-inc-'));
let child: ChildProcess;
beforeAll(() => {
  child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
});
afterAll(() => {
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A live process's pid, not this one's. */
function livePid(): number {
  if (child.pid === undefined) throw new Error('no child process was started');
  return child.pid;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function startOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] as string;
}

const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

/** A store whose lock is `holder`, with this host's name and a run token of its own. */
async function storeLockedBy(name: string, holder: Record<string, unknown>): Promise<string> {
  const root = join(dir, name);
  await (await new LicenseFileStore(root).lock())();
  const run = randomBytes(8).toString('hex');
  writeFileSync(
    join(root, STORE_LOCK),
    JSON.stringify({ host: hostname(), since: '2026-01-01T00:00:00Z', run, ...holder }),
  );
  return root;
}

const refusedNaming = (pid: number) =>
  new RegExp(`another run is issuing files into it \\(process ${pid} on `);

describe.runIf(HAS_PROC)('a store lock judged by the incarnation of its process', () => {
  it('records the boot and the start of the process that holds it', async () => {
    const root = join(dir, 'recorded');
    const release = await new LicenseFileStore(root).lock();
    const lock = JSON.parse(readFileSync(join(root, STORE_LOCK), 'utf8')) as Record<string, unknown>;
    expect(lock).toMatchObject({ pid: process.pid, boot: bootId(), started: startOf(process.pid) });
    await release();
  });

  it("is never taken over while its process runs (the holder's boot and start)", async () => {
    const pid = livePid();
    const root = await storeLockedBy('live', { pid, boot: bootId(), started: startOf(pid) });
    await expect(new LicenseFileStore(root).lock()).rejects.toThrow(refusedNaming(pid));
  });

  it('is never taken over from a live pid when it is of an earlier release (no boot, no start)', async () => {
    const pid = livePid();
    const root = await storeLockedBy('earlier-release', { pid });
    await expect(new LicenseFileStore(root).lock()).rejects.toThrow(refusedNaming(pid));
  });

  it('is taken over when its pid is now a process that started at another time', async () => {
    const pid = livePid();
    const root = await storeLockedBy('reused', {
      pid,
      boot: bootId(),
      started: String(Number(startOf(pid)) - 1),
    });
    const release = await new LicenseFileStore(root).lock();
    expect(readFileSync(join(root, STORE_LOCK), 'utf8')).toContain(`"pid":${process.pid},`);
    await release();
  });

  it('is taken over when the host has booted since it was taken', async () => {
    const pid = livePid();
    const root = await storeLockedBy('rebooted', {
      pid,
      boot: 'a boot before this one',
      started: startOf(pid),
    });
    const release = await new LicenseFileStore(root).lock();
    await release();
  });
});

describe('a store lock where there is no /proc', () => {
  const noProc: ProcFacts = { bootId: async () => undefined, startOf: async () => undefined };

  it('records no boot or start, and judges a live pid by the pid alone', async () => {
    const pid = livePid();
    const root = await storeLockedBy('no-proc-live', { pid, boot: 'a boot before this one', started: '1' });
    await expect(lockStore(root, 0o700, noProc)).rejects.toBeInstanceOf(LicbridgeError);
    rmSync(join(root, STORE_LOCK));
    const release = await lockStore(root, 0o700, noProc);
    const lock = JSON.parse(readFileSync(join(root, STORE_LOCK), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(lock).sort()).toEqual(['host', 'pid', 'run', 'since', 'thread']);
    await release();
  });

  it("still takes over a lock of this pid whose run is not this process's", async () => {
    const root = await storeLockedBy('no-proc-own', { pid: process.pid });
    const release = await lockStore(root, 0o700, noProc);
    await release();
  });
});
