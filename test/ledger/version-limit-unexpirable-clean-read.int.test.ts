/**
 * A license at version 999 past its validTo cannot expire: the lifecycle tick's LB_VERSION_LIMIT
 * record of its key stays open while a sync reads the row unchanged (version-limit.ts
 * stillUnexpirable). That clean read kept every other open record of the key open too: a page's
 * LB_VERSION_LIMIT record of a change since undone (its reason says the row read as version 999
 * holds it removes it) and a mapping fault since fixed stayed on the worklist for good, as no later
 * read of the unchanged row closed them. The clean read now closes them, and only the tick's record
 * stays. On both backends.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, QuarantineReason, VersionCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { uniqueName } from './fixtures.js';
import { realCandidate, setAt999, versionLimitLedger } from './version-limit-fixture.js';

describe.each(BACKENDS)('a clean read of a key at version 999 past its validTo ($name)', (backend) => {
  const v = versionLimitLedger(backend);
  let ledger: Ledger;
  beforeAll(() => {
    ledger = v.ledger;
  });

  let cursor = 0;
  /** One incremental run committing one page of `candidates` and `quarantined` rows. */
  async function page(
    pipeline: string,
    candidates: VersionCandidate[],
    quarantined: { sourceKey: string; reasons: QuarantineReason[] }[] = [],
  ): Promise<string> {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    cursor++;
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: `u${cursor}`, key: 'k' }),
      rowsRead: candidates.length + quarantined.length,
      candidates,
      quarantined,
    });
    return runId;
  }

  /** A license of the row `row-<serial>` at version 999, valid, its validTo long past. */
  async function pastAt999(pipeline: string): Promise<string> {
    const serial = `U${randomBytes(6).toString('hex').toUpperCase()}`;
    await page(pipeline, [realCandidate(pipeline, serial, 'day-999')]);
    await setAt999(v.database.url, serial, '2024-06-01');
    return serial;
  }

  async function tick(pipeline: string): Promise<string> {
    const runId = uniqueName('tick');
    await ledger.beginLifecycleTick({ pipeline, day: '2025-01-01', runId });
    expect(await ledger.expireDue({ pipeline, today: '2025-01-01', runId, limit: 10 })).toEqual([]);
    await ledger.finishLifecycleTick({ pipeline, day: '2025-01-01', runId, expired: 0 });
    return runId;
  }

  const openRecords = async (pipeline: string, key: string) =>
    (await ledger.quarantineHistory({ pipeline, sourceKey: key }))
      .filter((r) => r.resolvedAt === null)
      .map((r) => [r.runId, r.reasons.map((x) => x.code)]);

  it("closes a page's record of a change since undone, and keeps the tick's", async () => {
    const pipeline = uniqueName('p');
    const serial = await pastAt999(pipeline);
    const key = `row-${serial}`;
    // The row changed: no version to write it to.
    const changed = await page(pipeline, [realCandidate(pipeline, serial, 'day-1000')]);
    const ticked = await tick(pipeline);
    expect(await openRecords(pipeline, key)).toEqual([
      [ticked, ['LB_VERSION_LIMIT']],
      [changed, ['LB_VERSION_LIMIT']],
    ]);

    // The change undone in the business system: the row reads as version 999 holds it.
    await page(pipeline, [realCandidate(pipeline, serial, 'day-999')]);
    expect(await openRecords(pipeline, key)).toEqual([[ticked, ['LB_VERSION_LIMIT']]]);
    const [entry] = await ledger.openQuarantine({ pipeline });
    expect(entry?.timesSeen).toBe(1);
    expect(entry?.reasons[0]?.message).toContain('could not be expired');
  });

  it('closes a mapping fault since fixed, and keeps the tick record', async () => {
    const pipeline = uniqueName('p');
    const serial = await pastAt999(pipeline);
    const key = `row-${serial}`;
    const ticked = await tick(pipeline);
    const faulty = await page(
      pipeline,
      [],
      [{ sourceKey: key, reasons: [{ code: 'LB_MAP_REQUIRED', message: 'mapping: holder name is empty' }] }],
    );
    expect(await openRecords(pipeline, key)).toEqual([
      [faulty, ['LB_MAP_REQUIRED']],
      [ticked, ['LB_VERSION_LIMIT']],
    ]);

    // The row fixed at the source maps as version 999 holds it.
    await page(pipeline, [realCandidate(pipeline, serial, 'day-999')]);
    expect(await openRecords(pipeline, key)).toEqual([[ticked, ['LB_VERSION_LIMIT']]]);
  });
});
