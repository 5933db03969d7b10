// The refusal of a second issuing run tells the operator to remove the lock if the run holding it
// is gone. Removed while that run was in fact still issuing (a long page, a run on another host),
// the next run takes the store — and the first run, finishing, removed whatever lock was there:
// the second run's, so a third run could start beside it and the two replaced each other's files
// at paths whose SM3 the ledger already held. A run now releases only the lock it made.
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LicenseFileStore, STORE_LOCK } from '../../adapters/documents/file-store.js';
import { LicbridgeError } from '../../core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-store-release-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('releasing the file store lock', () => {
  it("leaves another run's lock in place", async () => {
    const root = join(dir, 'a');
    const first = await new LicenseFileStore(root).lock();
    // Removed by hand while the first run still issues; a second run takes the store.
    unlinkSync(join(root, STORE_LOCK));
    const second = await new LicenseFileStore(root).lock();
    const held = readFileSync(join(root, STORE_LOCK), 'utf8');
    await first();
    expect(readFileSync(join(root, STORE_LOCK), 'utf8')).toBe(held);
    await expect(new LicenseFileStore(root).lock()).rejects.toBeInstanceOf(LicbridgeError);
    await second();
    const third = await new LicenseFileStore(root).lock();
    await third();
  });
});
