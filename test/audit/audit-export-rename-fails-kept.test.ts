/**
 * An export renames its three files onto their names, keeping a second link to each earlier
 * export's file beside it (`<temp>.was`) to put back should a later rename fail. When the rename
 * that failed was onto a name holding an earlier file (a disk error, not a folder in the way), the
 * earlier file was put back by renaming its second link onto the name: a rename between two links
 * of one file does nothing, and the link stayed in the folder, a copy of the earlier export's file
 * under a temporary name. The folder now holds the earlier export's files and nothing else.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { makeTempDir } from '../signers/helpers.js';
import { auditChainReader, linkedAuditEntries } from '../support/audit-entries.js';
import { exportSigner } from './export-workspace.js';

/** Set by a test: the next rename onto a name ending so fails, as on a disk error. */
let failOnto: string | undefined;

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (...args: Parameters<typeof real.rename>) => {
      if (failOnto !== undefined && String(args[1]).endsWith(failOnto)) {
        // Once: the disk is back for what follows.
        failOnto = undefined;
        throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
      }
      return real.rename(...args);
    },
  };
});

const { writeAuditExport } = await import('../../pipelines/audit-export-write.js');

describe('an export whose rename onto an earlier export fails', () => {
  let signer: LocalSm2Signer;
  let tmp: ReturnType<typeof makeTempDir>;

  beforeAll(async () => {
    tmp = makeTempDir();
    signer = await exportSigner();
  });
  afterAll(async () => {
    failOnto = undefined;
    await signer?.close();
    tmp?.cleanup();
  });

  it.each(['day.jsonl.sig', 'day.jsonl.pub.pem', 'day.jsonl'])(
    'leaves the earlier export as it was, and no other file, when the rename onto %s fails',
    async (name) => {
      const dir = join(tmp.dir, name);
      await (await import('node:fs/promises')).mkdir(dir);
      const out = join(dir, 'day.jsonl');
      await writeFile(out, 'earlier entries\n');
      await writeFile(`${out}.sig`, 'earlier signature');
      await writeFile(`${out}.pub.pem`, 'earlier key');
      failOnto = `/${name}`;
      await expect(
        writeAuditExport(auditChainReader(linkedAuditEntries(3)), signer, {}, { out }),
      ).rejects.toThrow(`audit: export failed: cannot write ${join(dir, name)}`);
      expect(await readFile(out, 'utf8')).toBe('earlier entries\n');
      expect(await readFile(`${out}.sig`, 'utf8')).toBe('earlier signature');
      expect(await readFile(`${out}.pub.pem`, 'utf8')).toBe('earlier key');
      expect((await readdir(dir)).sort()).toEqual(['day.jsonl', 'day.jsonl.pub.pem', 'day.jsonl.sig']);
    },
  );
});
