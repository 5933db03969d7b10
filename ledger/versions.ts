/**
 * Versions read back by id (the `VersionLedger` port's `getVersions`), each with its license's
 * context (ledger/version-context.ts readVersionContexts: each distinct one read once), in
 * version-id order.
 */
import { type Db, inLists } from './db.js';
import { toVersion, type VersionRow } from './rows.js';
import type { StoredVersion } from './types-versions.js';
import { readVersionContexts } from './version-context.js';

export function getVersions(db: Db, versionIds: readonly number[]): Promise<StoredVersion[]> {
  return db.read('getVersions', async (k) => {
    const out: StoredVersion[] = [];
    for (const ids of inLists(db, [...new Set(versionIds)], 0)) {
      const rows: VersionRow[] = await k('license_versions as v').select('v.*').whereIn('v.version_id', ids);
      out.push(...(await readVersionContexts(db, k, rows)).map(toVersion));
    }
    return out.sort((a, b) => a.versionId - b.versionId);
  });
}
