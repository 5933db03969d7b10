// The license file store: each file of a batch stored whole with its SM3 and size, an existing
// file replaced, no temporary file left behind, even when a file cannot be put in place.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

/** A license's shelf in the store: two hex digits of SM3 over its id. */
const shelfOf = (id: string) => createHash('sm3').update(id).digest('hex').slice(0, 2);

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('LicenseFileStore', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  it('putMany stores each file with its SM3 and size, and replaces an existing one', async () => {
    const store = new LicenseFileStore(dir);
    await store.put('T1', 'L.2', 2, Buffer.from('old'));
    const stored = await store.putMany([
      { typeCode: 'T1', licenseId: 'L.1', version: 1, bytes: Buffer.from('first') },
      { typeCode: 'T1', licenseId: 'L.2', version: 2, bytes: Buffer.from('second file') },
    ]);
    expect(stored.map((s) => [s.path, s.size])).toEqual([
      [`T1/${shelfOf('L.1')}/L.1.001.ofd`, 5],
      [`T1/${shelfOf('L.2')}/L.2.002.ofd`, 11],
    ]);
    expect(stored[0]?.sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(
      (
        await store.read({ path: `T1/${shelfOf('L.2')}/L.2.002.ofd`, licenseId: 'L.2', version: 2 })
      ).toString(),
    ).toBe('second file');
    expect(allFiles(dir).sort()).toEqual(
      [join(dir, 'T1', shelfOf('L.1'), 'L.1.001.ofd'), join(dir, 'T1', shelfOf('L.2'), 'L.2.002.ofd')].sort(),
    );
  });

  it('stores each file of a batch as its own bytes, and leaves the caller its buffers', async () => {
    // Files that are views into one buffer, at offsets, and an empty one: the batch crosses to the
    // writing thread as one buffer of all the bytes, cut back into files there.
    const shared = Buffer.from('..alpha..beta-gamma');
    const items = [
      { typeCode: 'T1', licenseId: 'L.1', version: 1, bytes: shared.subarray(2, 7) },
      { typeCode: 'T1', licenseId: 'L.2', version: 1, bytes: new Uint8Array(0) },
      { typeCode: 'T1', licenseId: 'L.3', version: 1, bytes: shared.subarray(9) },
    ];
    const store = new LicenseFileStore(dir);
    const stored = await store.putMany(items);
    expect(
      await Promise.all(
        stored.map(async (s, k) =>
          (await store.read({ ...(items[k] as (typeof items)[number]), path: s.path })).toString(),
        ),
      ),
    ).toEqual(['alpha', '', 'beta-gamma']);
    expect(shared.toString()).toBe('..alpha..beta-gamma');
    expect(items.map((i) => i.bytes.byteLength)).toEqual([5, 0, 10]);
  });

  it('fails when a file cannot be put in place, leaving no temporary file', async () => {
    // A folder where the file should go: the temporary file is written, the rename fails.
    mkdirSync(join(dir, 'T1', shelfOf('L.1'), 'L.1.001.ofd/inside'), { recursive: true });
    const store = new LicenseFileStore(dir);
    await expect(
      store.putMany([{ typeCode: 'T1', licenseId: 'L.1', version: 1, bytes: Buffer.from('x') }]),
    ).rejects.toThrow();
    expect(allFiles(dir)).toEqual([]);
  });
});
