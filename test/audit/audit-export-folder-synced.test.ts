/**
 * `audit export` flushes the folder its files were renamed into before it reports them written. A
 * rename is an entry of the folder: until the folder is flushed a power cut can take it back, and
 * the export the command reported written (the one kept as proof of the chain for 20 years) is
 * gone, or its entries are there without their signature. Each file is flushed before its rename.
 */
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { makeTempDir } from '../signers/helpers.js';
import { auditChainReader, linkedAuditEntries } from '../support/audit-entries.js';
import { exportSigner } from './export-workspace.js';

/** What happened to the file system, in order: `sync <path>` and `rename <to>`. */
const events: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const { openRecordingSyncs } = await import('../support/synced-paths.js');
  return {
    ...real,
    open: openRecordingSyncs(real, (path) => events.push(`sync ${path}`)),
    rename: async (...args: Parameters<typeof real.rename>) => {
      await real.rename(...args);
      events.push(`rename ${String(args[1])}`);
    },
  };
});

const { writeAuditExport } = await import('../../pipelines/audit-export-write.js');

const ENTRIES = 3;
const chain = auditChainReader(linkedAuditEntries(ENTRIES));

describe('audit export and a power cut after it reported its files written', () => {
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
    events.length = 0;
  });

  it('flushes the export folder after the last rename, before it returns', async () => {
    const out = join(tmp.dir, 'export.jsonl');
    const result = await writeAuditExport(chain, signer, {}, { out });
    expect(result.entries).toBe(ENTRIES);
    const renames = events.map((e, i) => [e, i] as const).filter(([e]) => e.startsWith('rename '));
    expect(renames.map(([e]) => e)).toEqual([`rename ${out}.sig`, `rename ${out}.pub.pem`, `rename ${out}`]);
    const lastRename = renames.at(-1)?.[1] ?? -1;
    expect(events.slice(lastRename + 1)).toContain(`sync ${dirname(out)}`);
  });

  it('flushes each file before it is renamed into place', async () => {
    const out = join(tmp.dir, 'each.jsonl');
    await writeAuditExport(chain, signer, {}, { out });
    for (const name of [out, `${out}.sig`, `${out}.pub.pem`]) {
      const renamed = events.indexOf(`rename ${name}`);
      const synced = events.findIndex((e) => e.startsWith(`sync ${name}.`) && e.endsWith('.tmp'));
      expect(synced).toBeGreaterThanOrEqual(0);
      expect(synced).toBeLessThan(renamed);
    }
  });
});
