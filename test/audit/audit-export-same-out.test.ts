/**
 * Two `audit export` runs told the same `--out` at once. Each wrote its own temporary files and
 * renamed them into place one after the other, so their renames could interleave: the entries of
 * one beside the signature of the other, three files that look like a whole export and do not
 * verify (the second export here reads a chain grown by one entry). The second is now refused while
 * the first writes, naming the lock file and who holds it; the lock goes when the first ends, done
 * or failed. A lock left by a process gone from this host (killed while it wrote) is taken over.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import type { Ledger } from '../../ledger/ledger.js';
import { makeTempDir } from '../signers/helpers.js';
import { auditChainReader, linkedAuditEntries } from '../support/audit-entries.js';
import { deadPid } from '../support/dead-pid.js';
import { opensslVerify } from './export-openssl.js';
import { exportSigner } from './export-workspace.js';

/** Set by a test: the first rename onto a name ending so waits for `release` to be called. */
let gate: { suffix: string; reached: () => void; held: Promise<void> } | undefined;
/** Set by a test: removing the lock file fails, as on a folder made read-only meanwhile. */
let lockStays = false;
/** Set by a test: writing the claim into the lock file fails, as on a full disk. */
let claimFails = false;
/** Set by a test: the lock's holder ends (removing it) just before the lock is first read. */
let holderEnds = false;

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (...args: Parameters<typeof real.rename>) => {
      const at = gate;
      if (at && String(args[1]).endsWith(at.suffix)) {
        gate = undefined;
        at.reached();
        await at.held;
      }
      return real.rename(...args);
    },
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      if (claimFails && String(args[0]).endsWith('.lock')) {
        handle.write = (async () => {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }) as typeof handle.write;
      }
      return handle;
    },
    readFile: async (...args: Parameters<typeof real.readFile>) => {
      if (holderEnds && String(args[0]).endsWith('.lock')) {
        holderEnds = false;
        await real.rm(String(args[0]), { force: true });
      }
      return real.readFile(...args);
    },
    rm: async (...args: Parameters<typeof real.rm>) => {
      if (lockStays && String(args[0]).endsWith('.lock')) {
        throw Object.assign(new Error('EACCES: permission denied, rm'), { code: 'EACCES' });
      }
      return real.rm(...args);
    },
  };
});

const { writeAuditExport } = await import('../../pipelines/audit-export-write.js');

function chainOf(count: number): Pick<Ledger, 'readAudit' | 'auditHeadSeq'> {
  return auditChainReader(linkedAuditEntries(count));
}

describe('two audit exports to the same file at once', () => {
  let signer: LocalSm2Signer;
  let tmp: ReturnType<typeof makeTempDir>;

  beforeAll(async () => {
    tmp = makeTempDir();
    signer = await exportSigner();
  });
  afterAll(async () => {
    await signer?.close();
    tmp?.cleanup();
  });
  beforeEach(() => {
    gate = undefined;
    lockStays = false;
    claimFails = false;
    holderEnds = false;
  });

  it('refuses the second while the first writes, and leaves one whole export that verifies', async () => {
    const out = join(tmp.dir, 'same.jsonl');
    let reached = () => {};
    let release = () => {};
    const atGate = new Promise<void>((resolve) => {
      reached = resolve;
    });
    gate = {
      suffix: '.pub.pem',
      reached: () => reached(),
      held: new Promise<void>((resolve) => {
        release = resolve;
      }),
    };
    // The first stops between the signature's rename and the entries'.
    const first = writeAuditExport(chainOf(3), signer, {}, { out });
    await atGate;
    const second = await writeAuditExport(chainOf(4), signer, {}, { out }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    release();
    expect((await first).entries).toBe(3);
    // One whole export: the entries, and the signature made over them.
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(opensslVerify(tmp.dir, out).output).toContain('Signature Verified Successfully');
    expect(second?.message).toContain(`audit: export failed: ${out} is being written by another export`);
    expect(second?.message).toContain(`${out}.lock`);
    expect(second?.message).toContain(`host ${hostname()} pid ${process.pid}`);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it('lets the next export write once the first has failed', async () => {
    const out = join(tmp.dir, 'after-failure.jsonl');
    const broken: Pick<Ledger, 'readAudit' | 'auditHeadSeq'> = {
      auditHeadSeq: async () => 1,
      readAudit: async () => {
        throw new Error('the ledger went away');
      },
    };
    await expect(writeAuditExport(broken, signer, {}, { out })).rejects.toThrow('the ledger went away');
    expect(existsSync(`${out}.lock`)).toBe(false);
    expect((await writeAuditExport(chainOf(2), signer, {}, { out })).entries).toBe(2);
  });

  it('takes over a lock left by a process gone from this host, and removes it after', async () => {
    const out = join(tmp.dir, 'left.jsonl');
    const pid = await deadPid();
    writeFileSync(`${out}.lock`, `${hostname()} ${pid}\n0123456789abcdef\n`);
    expect((await writeAuditExport(chainOf(2), signer, {}, { out })).entries).toBe(2);
    expect(opensslVerify(tmp.dir, out).output).toContain('Signature Verified Successfully');
    expect(existsSync(`${out}.lock`)).toBe(false);
    expect(existsSync(`${out}.lock.takeover`)).toBe(false);
  });

  it('refuses a lock held by a process on another host, whose life it cannot see', async () => {
    const out = join(tmp.dir, 'elsewhere.jsonl');
    writeFileSync(`${out}.lock`, 'other-host-of-the-test 4242\n0123456789abcdef\n');
    await expect(writeAuditExport(chainOf(2), signer, {}, { out })).rejects.toThrow(
      `${out} is being written by another export (${out}.lock, host other-host-of-the-test pid 4242)`,
    );
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(`${out}.lock`, 'utf8')).toBe('other-host-of-the-test 4242\n0123456789abcdef\n');
  });

  it('names a lock of a gone process it cannot take over (a taker killed midway), and writes nothing', async () => {
    const out = join(tmp.dir, 'stuck.jsonl');
    const pid = await deadPid();
    writeFileSync(`${out}.lock`, `${hostname()} ${pid}\n0123456789abcdef\n`);
    writeFileSync(`${out}.lock.takeover`, '');
    await expect(writeAuditExport(chainOf(2), signer, {}, { out })).rejects.toThrow(
      `its process (host ${hostname()} pid ${pid}) is gone, and a takeover of it that did not finish left ${out}.lock.takeover, which stops every takeover: remove ${out}.lock and ${out}.lock.takeover and export again`,
    );
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.lock`)).toBe(true);
  });

  it('reports an export written whole as written when its lock cannot be removed', async () => {
    const out = join(tmp.dir, 'lock-stays.jsonl');
    lockStays = true;
    const result = await writeAuditExport(chainOf(2), signer, {}, { out });
    expect(result.entries).toBe(2);
    expect(opensslVerify(tmp.dir, out).output).toContain('Signature Verified Successfully');
    // Left, it names this process: the next export is refused, saying so.
    lockStays = false;
    await expect(writeAuditExport(chainOf(2), signer, {}, { out })).rejects.toThrow(
      `${out} is being written by another export (${out}.lock, host ${hostname()} pid ${process.pid})`,
    );
  });

  it('writes once the export holding the lock ends just as it is found held', async () => {
    const out = join(tmp.dir, 'ended-meanwhile.jsonl');
    writeFileSync(`${out}.lock`, 'other-host-of-the-test 4242\n0123456789abcdef\n');
    holderEnds = true;
    expect((await writeAuditExport(chainOf(2), signer, {}, { out })).entries).toBe(2);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it('leaves no lock when its claim cannot be written, and names the file and why', async () => {
    const out = join(tmp.dir, 'full-disk.jsonl');
    claimFails = true;
    await expect(writeAuditExport(chainOf(2), signer, {}, { out })).rejects.toThrow(
      `audit: export failed: cannot write ${out}: `,
    );
    expect(existsSync(`${out}.lock`)).toBe(false);
    claimFails = false;
    expect((await writeAuditExport(chainOf(2), signer, {}, { out })).entries).toBe(2);
  });
});
