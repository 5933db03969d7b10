/**
 * The platform's content hash leaves the identifier out, and a later version may carry the content
 * of an earlier one (a license suspended, then valid again). A platform still holding that earlier
 * version showed the same status and hash as the ledger's latest, and the check called it in
 * agreement though the platform never received the latest version. A platform holding another
 * version than the ledger's latest is now a difference, re-delivered when the platform is behind.
 */
import { describe, expect, it } from 'vitest';
import { heldAtPlatform } from '../../pipelines/reconcile/repair.js';
import { atLedger, checkAgainst, held, id, ledgerOf, platformReads } from './platform-check-fixture.js';

const ledger = ledgerOf(
  [atLedger(1, { version: 3 }), atLedger(2, { version: 1 }), atLedger(3, { version: 2 })],
  { pipeline: null },
);
// 1: the platform holds version 1, as valid and with the same content as the ledger's version 3;
// 2: it holds the ledger's latest; 3: it holds version 2 and echoes no content.
const platform = [held(1), held(2), held(3, { version: 2, contentHash: undefined })];

describe.each(platformReads(platform))('a platform read by its %s', (_how, adapter) => {
  it('holding an earlier version with the same status and content does not agree', async () => {
    const check = await checkAgainst(ledger, adapter, { pipeline: 'p' });
    expect(
      check.differences.map((d) => [d.kind, d.licenseId, d.ledger?.version, d.platform?.version]),
    ).toEqual([['platform-content-mismatch', id(1), 3, 1]]);
    // The platform is behind: the repair re-delivers, it does not only flag.
    expect(heldAtPlatform(check.differences[0] as (typeof check.differences)[number])).toBe(false);
    expect(check.counts.total).toBe(3);
  });
});
