/**
 * The platform's content hash leaves the identifier out, and a later version may carry the content
 * of an earlier one (a license suspended, then valid again). A platform still holding that earlier
 * version showed the same status and hash as the ledger's latest, and the check called it in
 * agreement though the platform never received the latest version. A platform holding another
 * version than the ledger's latest is now a difference, re-delivered when the platform is behind.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { heldAtPlatform } from '../../pipelines/reconcile/repair.js';

const PREFIX = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.';
const id = (n: number) => `${PREFIX}K4Y975IEPO1UZ9OZS7V${n}`;
const HASH = 'a'.repeat(64);

function atLedger(n: number, version: number): LedgerLicenseAtTarget {
  return {
    licenseId: id(n),
    sourceKey: `row-${n}`,
    version,
    versionId: 100 + n,
    contentHash: HASH,
    status: 'valid',
    deliveryKey: `${id(n)}:${version}:province`,
    deliveryState: 'accepted',
  };
}

function held(n: number, version: number, contentHash: string | undefined = HASH): PlatformRecord {
  return {
    licenseId: id(n),
    identifier: `${id(n)}.${version}`,
    version,
    status: 'valid',
    platformId: `P${n}`,
    ...(contentHash === undefined ? {} : { contentHash }),
  };
}

function ledgerOf(rows: LedgerLicenseAtTarget[]): Ledger {
  return {
    async licensesAtTarget(_p: string, _t: string, after: string, limit: number) {
      return rows.filter((r) => r.licenseId > after).slice(0, limit);
    },
    async pipelinesOfLicenses() {
      return new Map<string, string>();
    },
  } as unknown as Ledger;
}

const ledger = ledgerOf([atLedger(1, 3), atLedger(2, 1), atLedger(3, 2)]);
// 1: the platform holds version 1, as valid and with the same content as the ledger's version 3;
// 2: it holds the ledger's latest; 3: it holds version 2 and echoes no content.
const platform = [held(1, 1), held(2, 1), held(3, 2, undefined)];

describe.each([
  [
    'listing',
    {
      name: 'province',
      async *list() {
        yield platform;
      },
    },
  ],
  [
    'look-up',
    {
      name: 'province',
      async lookup(ids: readonly string[]) {
        return platform.filter((p) => ids.includes(p.licenseId));
      },
    },
  ],
])('a platform read by its %s', (_how, adapter) => {
  it('holding an earlier version with the same status and content does not agree', async () => {
    const check = await checkPlatform({
      ledger,
      pipeline: 'p',
      adapter: adapter as unknown as TargetAdapter,
      licensePrefix: PREFIX,
      pageSize: 2,
    });
    expect(
      check.differences.map((d) => [d.kind, d.licenseId, d.ledger?.version, d.platform?.version]),
    ).toEqual([['platform-content-mismatch', id(1), 3, 1]]);
    // The platform is behind: the repair re-delivers, it does not only flag.
    expect(heldAtPlatform(check.differences[0] as (typeof check.differences)[number])).toBe(false);
    expect(check.counts.total).toBe(3);
  });
});
