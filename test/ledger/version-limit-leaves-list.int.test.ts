/**
 * When an LB_VERSION_LIMIT entry leaves the worklist, as the worklist page and
 * docs/troubleshooting.md say: a sync reading the row again with its change keeps it (the change is
 * still not in the ledger), and one reading the row as version 999 holds it (the change undone in
 * the business system) removes it, as it removes any row that maps cleanly. On both backends.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { uniqueName } from './fixtures.js';
import { realCandidate, setAt999, versionLimitLedger } from './version-limit-fixture.js';

describe.each(BACKENDS)('an LB_VERSION_LIMIT entry on the worklist ($name)', (backend) => {
  const v = versionLimitLedger(backend);
  let ledger: Ledger;
  beforeAll(() => {
    ledger = v.ledger;
  });
  const sync = async (pipeline: string, candidates: VersionCandidate[]) =>
    (await v.sync(pipeline, candidates)).result;
  const openKeys = async (pipeline: string) =>
    (await ledger.openQuarantine({ pipeline })).map((q) => [q.sourceKey, q.reasons.map((r) => r.code)]);

  it('stays while syncs read the row with its change, and leaves once the row reads as version 999', async () => {
    const pipeline = uniqueName('p');
    const serial = `V${randomBytes(6).toString('hex').toUpperCase()}`;
    const key = `row-${serial}`;
    await sync(pipeline, [realCandidate(pipeline, serial, 'day-999')]);
    // Three years of daily changes: version 999 is the latest the ledger holds.
    await setAt999(v.database.url, serial);
    await sync(pipeline, [realCandidate(pipeline, serial, 'day-1000')]);
    expect(await openKeys(pipeline)).toEqual([[key, ['LB_VERSION_LIMIT']]]);

    // The row read again as it now stands: its change still has no version to go to.
    const again = await sync(pipeline, [realCandidate(pipeline, serial, 'day-1000')]);
    expect(again.created).toEqual([]);
    expect(await openKeys(pipeline)).toEqual([[key, ['LB_VERSION_LIMIT']]]);

    // The change undone in the business system: the row maps to what version 999 holds.
    const undone = await sync(pipeline, [realCandidate(pipeline, serial, 'day-999')]);
    expect([undone.created, undone.unchanged]).toEqual([[], 1]);
    expect(await openKeys(pipeline)).toEqual([]);
  });
});
