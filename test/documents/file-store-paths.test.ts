// `LicenseFileStore.paths()` walks the store a folder at a time for `verify --all`, which holds
// neither the store's whole list nor its sort: it must give the files in exactly the order a sort
// of all their paths gives (JavaScript's, by UTF-16 code unit), with folders whose names sort apart
// from the paths under them (`a.b` before the folder `a`, `a-b` and `a0` around it), names beyond
// ASCII (one above U+FFFF, which UTF-16 puts before U+FF01, bytes after), and the store's lock and
// a temporary file left out as `files()` leaves them; and read a folder only when it gets there.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore, STORE_LOCK } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

const FILES = [
  'a.b',
  'a-b/c',
  'a/b.c',
  'a/b/c',
  'a/b-c',
  'a0',
  'a0.d/e',
  'ab',
  'B/x',
  'b',
  'T1/ab/L.1.001.ofd',
  'T1/ab/L.1.001.ofd.copy',
  'T1-x/y',
  'T1.z/y',
  'é/x',
  '\u4E2D',
  '\u{1F600}/x',
  '\u{1F600}x',
  '\uFF01y',
  '\uFF01/x',
];

/** The store's files as a sort of all of them gives, walked here apart from the store's own code. */
function allSorted(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(rel === '' ? root : join(root, rel), { withFileTypes: true })) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk('');
  return out.sort();
}

describe('file store paths, a folder at a time', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  it('come in the order a sort of every path gives, the lock and temporary files left out', async () => {
    for (const path of [...FILES, STORE_LOCK, `${STORE_LOCK}.draft`, 'T1/ab/.L.1.001.ofd.abc123.tmp']) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), 'x');
    }
    const walked: string[] = [];
    for await (const path of new LicenseFileStore(dir).paths()) walked.push(path);
    const sorted = allSorted(dir).filter((p) => FILES.includes(p));
    expect(sorted).toHaveLength(FILES.length);
    expect(walked).toEqual(sorted);
    expect(await new LicenseFileStore(dir).files()).toEqual(sorted);
  });

  it('reads a folder only when the walk reaches it, not the whole store first', async () => {
    for (const path of ['a/x', 'm/x']) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), 'x');
    }
    const walk = new LicenseFileStore(dir).paths();
    expect((await walk.next()).value).toBe('a/x');
    // Files put in a folder the walk has not read yet are found; a folder made after the root was
    // read is not (the root's entries are held), as a sort taken then would not hold it either.
    writeFileSync(join(dir, 'm', 'y'), 'x');
    mkdirSync(join(dir, 'z'));
    writeFileSync(join(dir, 'z', 'x'), 'x');
    const rest: string[] = [];
    for await (const path of walk) rest.push(path);
    expect(rest).toEqual(['m/x', 'm/y']);
  });
});
