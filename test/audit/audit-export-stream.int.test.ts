/**
 * `audit export` of the whole chain streams: it reads the chain a page at a time, writes each page
 * to the export as it goes and hashes it into e = SM3(Z ‖ M), then signs e. It loaded the whole
 * range into one buffer and signed that, so an export of a 20-year chain (millions of entries)
 * ran out of memory. The files are the same as before: the signature verifies over the file with
 * OpenSSL as docs/audit.md shows, and matches one made over the whole file at once.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalSm2Signer,
  verifySm2Signature,
} from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import type { AuditEntry, AuditQuery } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { makeTempDir } from '../signers/helpers.js';
import { type ChainLedger, chainLedger } from './audit-chain-fixture.js';
import { opensslVerify } from './export-openssl.js';
import { exportSigner } from './export-workspace.js';

const ENTRIES = 23;

function jsonLines(entries: readonly AuditEntry[]): string {
  return entries.map((e) => `${JSON.stringify(e)}\n`).join('');
}

describe('audit export streams the chain', () => {
  let chain: ChainLedger;
  let signer: LocalSm2Signer;
  let tmp: ReturnType<typeof makeTempDir>;
  let all: AuditEntry[];

  beforeAll(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(ENTRIES);
    signer = await exportSigner();
    all = await chain.ledger.readAudit({ limit: 1000 });
  });
  afterAll(async () => {
    await signer?.close();
    await chain?.close();
    tmp?.cleanup();
  });

  it('the fixture chain is whole', async () => {
    expect(all).toHaveLength(ENTRIES);
    expect(await chain.ledger.verifyAudit()).toMatchObject({ ok: true, entries: ENTRIES });
  });

  it('reads one page at a time and writes each before reading the next; the result verifies with OpenSSL', async () => {
    const out = join(tmp.dir, 'paged.jsonl');
    const reads: { afterSeq: number | undefined; limit: number | undefined; written: number }[] = [];
    const expectedWritten: number[] = [];
    let before = 0;
    const counting: Pick<Ledger, 'readAudit' | 'auditHeadSeq'> = {
      auditHeadSeq: () => chain.ledger.auditHeadSeq(),
      async readAudit(query: AuditQuery) {
        // What is on disk when a page is asked for: the pages before it, in a file beside `out`.
        const temp = (await readdir(tmp.dir)).filter(
          (f) => f.startsWith('paged.jsonl.') && f.endsWith('.tmp'),
        );
        expect(temp).toHaveLength(1);
        expect((await readdir(tmp.dir)).includes('paged.jsonl')).toBe(false);
        const written = (await stat(join(tmp.dir, temp[0] as string))).size;
        reads.push({ afterSeq: query.afterSeq, limit: query.limit, written });
        const page = await chain.ledger.readAudit(query);
        expectedWritten.push(before);
        before += Buffer.byteLength(jsonLines(page));
        return page;
      },
    };
    const result = await writeAuditExport(counting, signer, {}, { out, pageSize: 5 });

    expect(result).toMatchObject({
      entries: ENTRIES,
      out,
      signature: `${out}.sig`,
      publicKey: `${out}.pub.pem`,
    });
    // 23 entries in pages of 5: five pages and the empty read that ends the walk, each after the last seq.
    expect(reads.map((r) => r.afterSeq)).toEqual([0, 5, 10, 15, 20, 23]);
    expect(reads.every((r) => r.limit === 5)).toBe(true);
    expect(reads.map((r) => r.written)).toEqual(expectedWritten);
    expect(expectedWritten[5]).toBeGreaterThan(0);

    const bytes = await readFile(out);
    expect(bytes.toString('utf8')).toBe(jsonLines(all));
    expect(opensslVerify(tmp.dir, out).status).toBe(0);
    expect(verifySm2Signature(signer.publicKeyPem(), bytes, await readFile(`${out}.sig`))).toBe(true);
    expect(await readFile(`${out}.pub.pem`, 'utf8')).toBe(signer.publicKeyPem());
    expect((await readdir(tmp.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('makes the files a signature over the whole file made: each verifies the other way', async () => {
    const out = join(tmp.dir, 'streamed.jsonl');
    await writeAuditExport(chain.ledger, signer, { fromSeq: 3, toSeq: 17 }, { out, pageSize: 4 });
    // The export as it was made before: the range in one buffer, signed as a message; its first
    // line names the ledger by the hash of its entry 1.
    const [head, ...rest] = all.filter((e) => e.seq >= 3 && e.seq <= 17);
    const named = { ...(head as AuditEntry), chainStart: all[0]?.hash };
    const whole = Buffer.from(`${JSON.stringify(named)}\n${jsonLines(rest)}`, 'utf8');
    const [record] = await signer.sign([whole]);
    const old = join(tmp.dir, 'whole.jsonl');
    await writeFile(old, whole);
    await writeFile(`${old}.sig`, record?.signature ?? new Uint8Array());

    expect((await readFile(out)).equals(whole)).toBe(true);
    expect(opensslVerify(tmp.dir, out).status).toBe(0);
    // The new signature over the file made the old way, and the old signature over the new file.
    expect(opensslVerify(tmp.dir, old, { sig: `${out}.sig`, pub: `${out}.pub.pem` }).status).toBe(0);
    expect(opensslVerify(tmp.dir, out, { sig: `${old}.sig`, pub: `${out}.pub.pem` }).status).toBe(0);
    // A changed byte fails.
    const changed = join(tmp.dir, 'changed.jsonl');
    await writeFile(changed, whole.toString('utf8').replace('"seq":3,', '"seq":4,'));
    expect(opensslVerify(tmp.dir, changed, { sig: `${out}.sig`, pub: `${out}.pub.pem` }).status).not.toBe(0);
  });

  it('an empty range is an empty file with a signature over no bytes', async () => {
    const out = join(tmp.dir, 'empty.jsonl');
    const result = await writeAuditExport(chain.ledger, signer, { fromSeq: 1000 }, { out, pageSize: 5 });
    expect(result.entries).toBe(0);
    expect((await readFile(out)).length).toBe(0);
    expect(opensslVerify(tmp.dir, out).status).toBe(0);
  });

  it('an export that fails part-way leaves the earlier export under that name, and no part-written file', async () => {
    const out = join(tmp.dir, 'kept.jsonl');
    await writeAuditExport(chain.ledger, signer, { toSeq: 2 }, { out });
    const earlier = await Promise.all([out, `${out}.sig`, `${out}.pub.pem`].map((f) => readFile(f)));
    let reads = 0;
    const failing: Pick<Ledger, 'readAudit' | 'auditHeadSeq'> = {
      auditHeadSeq: () => chain.ledger.auditHeadSeq(),
      async readAudit(query) {
        reads += 1;
        if (reads === 3) throw new Error('ledger: connection lost');
        return chain.ledger.readAudit(query);
      },
    };
    await expect(writeAuditExport(failing, signer, {}, { out, pageSize: 5 })).rejects.toThrow(
      'connection lost',
    );
    const after = await Promise.all([out, `${out}.sig`, `${out}.pub.pem`].map((f) => readFile(f)));
    after.forEach((b, i) => {
      expect(b.equals(earlier[i] as Buffer)).toBe(true);
    });
    expect((await readdir(tmp.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a page size that is not a positive integer, naming it', async () => {
    await expect(
      writeAuditExport(chain.ledger, signer, {}, { out: join(tmp.dir, 'x.jsonl'), pageSize: 0 }),
    ).rejects.toThrow('expected `pageSize` to be an integer of at least 1, got `0` (number)');
  });
});
