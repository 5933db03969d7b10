/**
 * A lock left by an export killed on this host is taken over by the next export, which holds
 * `<out>.lock.takeover` while it reads the lock again and removes it. A taker killed in between
 * left that guard, and from then on no stale lock was taken over: every later export was refused
 * naming `<out>.lock` alone, and once that was removed the guard stayed to stop the next takeover
 * too. A guard that names a process gone from this host is now taken over as the lock is; one that
 * names none (an earlier release wrote it empty) is named beside the lock, to remove.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { makeTempDir } from '../signers/helpers.js';
import { auditChainReader, linkedAuditEntries } from '../support/audit-entries.js';
import { deadPid } from '../support/dead-pid.js';
import { opensslVerify } from './export-openssl.js';
import { exportSigner } from './export-workspace.js';

describe('an export meeting the guard a killed takeover left', () => {
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

  it('takes over a stale lock when the guard left names a process gone from this host', async () => {
    const out = join(tmp.dir, 'guard-of-gone.jsonl');
    const [exporter, taker] = [await deadPid(), await deadPid()];
    writeFileSync(`${out}.lock`, `${hostname()} ${exporter}\n0123456789abcdef\n`);
    writeFileSync(`${out}.lock.takeover`, `${hostname()} ${taker}\nfedcba9876543210\n`);
    expect(
      (await writeAuditExport(auditChainReader(linkedAuditEntries(2)), signer, {}, { out })).entries,
    ).toBe(2);
    expect(opensslVerify(tmp.dir, out).output).toContain('Signature Verified Successfully');
    for (const left of ['.lock', '.lock.takeover', '.lock.takeover.takeover'])
      expect(existsSync(`${out}${left}`)).toBe(false);
  });

  it('names the guard beside the lock when it cannot tell whose the guard is', async () => {
    const out = join(tmp.dir, 'guard-empty.jsonl');
    const pid = await deadPid();
    writeFileSync(`${out}.lock`, `${hostname()} ${pid}\n0123456789abcdef\n`);
    writeFileSync(`${out}.lock.takeover`, '');
    const refused = await writeAuditExport(auditChainReader(linkedAuditEntries(2)), signer, {}, { out }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(refused?.message).toContain(`its process (host ${hostname()} pid ${pid}) is gone`);
    expect(refused?.message).toContain(`remove ${out}.lock and ${out}.lock.takeover`);
    expect(existsSync(out)).toBe(false);
    for (const left of ['.lock', '.lock.takeover']) expect(existsSync(`${out}${left}`)).toBe(true);
    // Both removed as told, the next export writes.
    for (const left of ['.lock', '.lock.takeover']) rmSync(`${out}${left}`);
    expect(
      (await writeAuditExport(auditChainReader(linkedAuditEntries(2)), signer, {}, { out })).entries,
    ).toBe(2);
  });

  it('names every guard left when the guard of a gone taker has a guard left too', async () => {
    const out = join(tmp.dir, 'guards-left.jsonl');
    const [exporter, taker] = [await deadPid(), await deadPid()];
    writeFileSync(`${out}.lock`, `${hostname()} ${exporter}\n0123456789abcdef\n`);
    writeFileSync(`${out}.lock.takeover`, `${hostname()} ${taker}\nfedcba9876543210\n`);
    writeFileSync(`${out}.lock.takeover.takeover`, '');
    await expect(
      writeAuditExport(auditChainReader(linkedAuditEntries(2)), signer, {}, { out }),
    ).rejects.toThrow(
      `remove ${out}.lock and ${out}.lock.takeover and ${out}.lock.takeover.takeover and export`,
    );
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.lock`)).toBe(true);
  });
});
