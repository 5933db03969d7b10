/**
 * An export's three files are renamed onto their names one after another once signed. The entries
 * went first: an export that failed (or a machine that stopped) after that rename and before the
 * signature's left the new entries under their name with no signature made for them beside them —
 * a whole, well-formed file of the chain that looked exported, though nothing was signed for it.
 * The entries now go last, after the signature and key, and an export that fails between renames
 * takes back the files it put in place: under the entries' name is a signed export or nothing new,
 * and an earlier export's signature and key replaced before the entries' rename failed are put back.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { useExportWorkspace } from './export-workspace.js';

describe('audit export puts its entries in place last', () => {
  const ws = useExportWorkspace(9);

  it.each(['sig', 'pub.pem'])(
    'a rename of the .%s that fails leaves no entries under the name, and none of its files',
    async (suffix) => {
      const dir = join(ws.dir, suffix);
      await mkdir(dir);
      const out = join(dir, 'day.jsonl');
      // A folder (not empty) under the name: the rename onto it fails.
      await mkdir(`${out}.${suffix}`);
      await writeFile(join(`${out}.${suffix}`, 'kept'), 'kept');
      await expect(writeAuditExport(ws.chain.ledger, ws.signer, {}, { out, pageSize: 4 })).rejects.toThrow(
        `audit: export failed: cannot write ${out}.${suffix}: it is a folder, not a file`,
      );
      expect(existsSync(out)).toBe(false);
      expect((await readdir(dir)).sort()).toEqual([`day.jsonl.${suffix}`]);
    },
  );

  it('a rename of the entries that fails puts back the signature and key of the export before', async () => {
    const dir = join(ws.dir, 'entries');
    await mkdir(dir);
    const out = join(dir, 'day.jsonl');
    // An earlier export's signature and key under the names, and a folder (not empty) where its
    // entries would be: the signature's and key's renames succeed, the entries' fails.
    await writeFile(`${out}.sig`, 'earlier signature');
    await writeFile(`${out}.pub.pem`, 'earlier key');
    await mkdir(out);
    await writeFile(join(out, 'kept'), 'kept');
    await expect(writeAuditExport(ws.chain.ledger, ws.signer, {}, { out, pageSize: 4 })).rejects.toThrow(
      `audit: export failed: cannot write ${out}: it is a folder, not a file`,
    );
    expect(await readFile(`${out}.sig`, 'utf8')).toBe('earlier signature');
    expect(await readFile(`${out}.pub.pem`, 'utf8')).toBe('earlier key');
    expect((await readdir(dir)).sort()).toEqual(['day.jsonl', 'day.jsonl.pub.pem', 'day.jsonl.sig']);
  });
});
