/**
 * When an LB_VERSION_LIMIT entry leaves the worklist, as the worklist page and
 * docs/troubleshooting.md say: a sync reading the row again with its change keeps it (the change is
 * still not in the ledger), and one reading the row as version 999 holds it (the change undone in
 * the business system) removes it, as it removes any row that maps cleanly. On both backends.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const ids = identifierBuilder('11370200MB1234567X001', '11370211MB1234567X');

/** A candidate whose identifier is built as a mapped row's is (mappings/license-mapper.ts). */
function realCandidate(pipeline: string, serial: string, content: string): VersionCandidate {
  const base = candidate({ n: 1, pipeline, content });
  const build = (version: number): License => ({
    ...base.build(version),
    identifier: ids.identifier(serial, version),
  });
  return { ...base, licenseId: ids.licenseId(serial), sourceKey: `row-${serial}`, build };
}

describe.each(BACKENDS)('an LB_VERSION_LIMIT entry on the worklist ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  let cursor = 0;
  async function sync(pipeline: string, candidates: VersionCandidate[]) {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    cursor++;
    return ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: `c${cursor}`, key: 'k' }),
      rowsRead: candidates.length,
      candidates,
      quarantined: [],
    });
  }
  const openKeys = async (pipeline: string) =>
    (await ledger.openQuarantine({ pipeline })).map((q) => [q.sourceKey, q.reasons.map((r) => r.code)]);

  it('stays while syncs read the row with its change, and leaves once the row reads as version 999', async () => {
    const pipeline = uniqueName('p');
    const serial = `V${randomBytes(6).toString('hex').toUpperCase()}`;
    const key = `row-${serial}`;
    await sync(pipeline, [realCandidate(pipeline, serial, 'day-999')]);
    // Three years of daily changes: version 999 is the latest the ledger holds.
    const raw = rawKnex(database.url);
    try {
      await raw('license_versions')
        .where({ license_id: ids.licenseId(serial) })
        .update({ version: 999 });
      await raw('licenses')
        .where({ license_id: ids.licenseId(serial) })
        .update({ latest_version: 999 });
    } finally {
      await raw.destroy();
    }
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
