/**
 * An audit export holds what the ledger's chain holds — license ids, the accounts of the operators
 * who acted — and the ledger is kept owner-only (0600). The export's files were made with the
 * process's default mode (0644 under the usual umask 022): anyone on the host could read them, and
 * so could they the part-written file of an export in progress. They are made owner-only from
 * their first byte, and an export over files others could read replaces them with owner-only ones.
 */
import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { opensslVerify } from './export-openssl.js';
import { useExportWorkspace } from './export-workspace.js';

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
const filesOf = (out: string) => [out, `${out}.sig`, `${out}.pub.pem`];

describe('audit export files are owner-only', () => {
  const ws = useExportWorkspace(12);
  let umask: number;

  beforeAll(async () => {
    // The usual umask, which left the files readable by all; restored after.
    umask = process.umask(0o022);
  });
  afterAll(async () => {
    process.umask(umask);
  });

  it('makes the entries, the signature and the public key 0600, and the export still verifies', async () => {
    const out = join(ws.dir, 'new.jsonl');
    await writeAuditExport(ws.chain.ledger, ws.signer, {}, { out, pageSize: 5 });
    for (const f of filesOf(out)) expect({ f, mode: await modeOf(f) }).toEqual({ f, mode: 0o600 });
    expect(opensslVerify(ws.dir, out).status).toBe(0);
  });

  it('replaces an earlier export others could read with owner-only files', async () => {
    const out = join(ws.dir, 'again.jsonl');
    for (const f of filesOf(out)) {
      await writeFile(f, 'earlier');
      await chmod(f, 0o644);
    }
    await writeAuditExport(ws.chain.ledger, ws.signer, { fromSeq: 3 }, { out, pageSize: 5 });
    for (const f of filesOf(out)) expect({ f, mode: await modeOf(f) }).toEqual({ f, mode: 0o600 });
    expect(opensslVerify(ws.dir, out).status).toBe(0);
  });

  it('keeps the part written while the export runs owner-only', async () => {
    const out = join(ws.dir, 'running.jsonl');
    const seen: number[] = [];
    const watching: Pick<Ledger, 'readAudit' | 'auditHeadSeq'> = {
      auditHeadSeq: () => ws.chain.ledger.auditHeadSeq(),
      async readAudit(query) {
        for (const f of (await readdir(ws.dir)).filter((n) => n.startsWith('running.jsonl.'))) {
          seen.push(await modeOf(join(ws.dir, f)));
        }
        return ws.chain.ledger.readAudit(query);
      },
    };
    await writeAuditExport(watching, ws.signer, {}, { out, pageSize: 5 });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((m) => m === 0o600)).toBe(true);
  });
});
