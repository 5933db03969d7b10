/** A license's latest version in the ledger, read through the version pages `verify` also uses. */
import type { StoredVersion, VersionLedger } from '../ledger/ledger.js';

/** The latest version of a license, or undefined when the ledger has none. */
export async function latestVersion(
  ledger: VersionLedger,
  licenseId: string,
): Promise<StoredVersion | undefined> {
  let latest: StoredVersion | undefined;
  for (let after = 0; ; ) {
    const page = await ledger.versionPage({ afterVersionId: after, limit: 500, licenseIds: [licenseId] });
    if (page.length === 0) return latest;
    for (const v of page) if (!latest || v.version > latest.version) latest = v;
    after = (page[page.length - 1] as StoredVersion).versionId;
  }
}
