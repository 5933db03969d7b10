// A store's root written in any form a config may give (relative, with `.` and `..`, a trailing
// slash): putMany puts every file at join(root, path), where reading it looks.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

const shelfOf = (id: string) => createHash('sm3').update(id).digest('hex').slice(0, 2);

describe('LicenseFileStore root forms', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  const forms = (base: string): string[] => {
    const rel = relative(process.cwd(), base);
    return [
      base,
      `${base}/`,
      `${base}//`,
      `${base}/./`,
      `${base}/x/..`,
      `${base}/x/../`,
      rel,
      `${rel}/`,
      `./${rel}`,
      `${rel}/y/./../`,
    ];
  };

  it('puts each file at join(root, path) and reads it back there', async () => {
    let n = 0;
    for (const root of forms(join(dir, 'store'))) {
      n++;
      const store = new LicenseFileStore(root);
      const id = `L.${n}`;
      const [stored] = await store.putMany([
        { typeCode: 'T1', licenseId: id, version: 1, bytes: Buffer.from(root) },
      ]);
      expect(stored?.path, root).toBe(`T1/${shelfOf(id)}/${id}.001.ofd`);
      // At the one place join gives, inside the store's folder whatever the root's form.
      expect(readFileSync(join(root, stored?.path as string), 'utf8'), root).toBe(root);
      expect(readFileSync(join(dir, 'store', stored?.path as string), 'utf8'), root).toBe(root);
      expect(
        (await store.read({ path: stored?.path as string, licenseId: id, version: 1 })).toString(),
        root,
      ).toBe(root);
    }
  });
});
