// The license file store takes a batch when putMany is called, also when its shelves are not
// made yet: `sign files` lays out and seals the next page as soon as putMany returns, and a batch
// taken only after that was stored one page late (the next page's making and this page's writes
// one after the other). Seen from the caller: its buffers are its own again once putMany returns.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore, type StoreItem } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

const sm3 = (bytes: Uint8Array) => createHash('sm3').update(bytes).digest('hex');

/** A batch of `count` licenses from `first`, each file's bytes naming its license. */
function batch(first: number, count: number): StoreItem[] {
  return Array.from({ length: count }, (_, k) => {
    const licenseId = `L.${first + k}`;
    return { typeCode: 'T1', licenseId, version: 1, bytes: Buffer.from(`sealed file of ${licenseId}`) };
  });
}

describe('LicenseFileStore.putMany hand-off', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  it('stores the bytes given, though the caller reuses its buffers as soon as putMany returns', async () => {
    const store = new LicenseFileStore(dir);
    // A new store (no type folder, no shelf), then a batch on shelves the first made and on new
    // ones (40 licenses reach some 37 of the 256 shelves; 40 more, some of those and others).
    for (const items of [batch(1, 40), batch(21, 40)]) {
      const given = items.map((i) => Buffer.from(i.bytes).toString());
      const storing = store.putMany(items);
      // The next page laid out into the same buffers, before the store's promise is awaited.
      for (const i of items) (i.bytes as Buffer).fill('x');
      const stored = await storing;
      const read = await Promise.all(
        stored.map(async (s, k) =>
          (await store.read({ path: s.path, licenseId: items[k]?.licenseId ?? '', version: 1 })).toString(),
        ),
      );
      expect(read).toEqual(given);
      expect(stored.map((s) => s.sm3)).toEqual(given.map((g) => sm3(Buffer.from(g))));
    }
  });
});
