/**
 * `audit export` writes every byte it hashes. A write to a file may take fewer bytes than asked
 * (a full disk, a file size limit) and say so only by its count: the export took the count as
 * given, hashed and signed the whole page, and renamed a cut file into place as a signed export
 * whose signature did not verify over it. Here the file size limit of this process (RLIMIT_FSIZE,
 * set with `prlimit`, its soft value only, restored after) cuts the last page's write short.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import type { AuditEntry } from '../../ledger/audit-types.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { makeTempDir } from '../signers/helpers.js';
import { auditChainReader, linkedAuditEntries } from '../support/audit-entries.js';
import { exportSigner } from './export-workspace.js';

const ENTRIES = 30;
const PAGE = 10;

// A linked chain: an export refuses to sign entries that do not follow each other.
const CHAIN = linkedAuditEntries(ENTRIES);

function entry(seq: number): AuditEntry {
  return CHAIN[seq - 1] as AuditEntry;
}

// The head names the chain's last entry, as a writer leaves it.
const chain = auditChainReader(CHAIN);

/** The soft file size limit of this process, as `prlimit` reads and writes it. */
function fileSizeLimit(value?: string): string {
  if (value !== undefined) execFileSync('prlimit', ['--pid', String(process.pid), `--fsize=${value}:`]);
  return execFileSync('prlimit', ['--pid', String(process.pid), '--fsize', '--output=SOFT', '--noheadings'], {
    encoding: 'utf8',
  }).trim();
}

describe('audit export on a file system that takes part of a write', () => {
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

  it('fails, and puts no cut file under the name', async () => {
    const line = Buffer.byteLength(`${JSON.stringify(entry(1))}\n`);
    // Two pages whole, the third cut in its middle; the signature and key files are far smaller.
    const limit = line * (2 * PAGE + PAGE / 2);
    const out = join(tmp.dir, 'cut.jsonl');
    const before = fileSizeLimit();
    let result: unknown;
    try {
      fileSizeLimit(String(limit));
      result = await writeAuditExport(chain, signer, {}, { out, pageSize: PAGE }).catch((e: unknown) => e);
    } finally {
      fileSizeLimit(before === 'unlimited' ? 'unlimited' : before);
    }
    expect(fileSizeLimit()).toBe(before);
    expect(result).toBeInstanceOf(Error);
    expect(String((result as Error).message)).toMatch(/EFBIG|file too large/i);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.sig`)).toBe(false);
    expect((await readdir(tmp.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
