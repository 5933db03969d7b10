/**
 * A license at version 999 past its validTo cannot expire: the lifecycle tick quarantines it
 * (`LB_VERSION_LIMIT`), once, and the record stays open while the license does. A person who has
 * done what it asks (issued the license anew, ended it at the platforms by hand) closes it with
 * `licbridge quarantine resolve`. The next day's tick, meeting the license as it was, wrote it
 * again — a fresh record, a `quarantine` audit entry, the key back on the worklist — every day: the
 * resolve held until the next tick. The tick now leaves a license whose record of it a person
 * closed; a record of another code, or a run's record of a change, still goes on the list. On both
 * backends.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { uniqueName } from './fixtures.js';
import { ids, realCandidate, setAt999, versionLimitLedger } from './version-limit-fixture.js';

describe.each(BACKENDS)('a tick record of a license at 999 a person resolved ($name)', (backend) => {
  const v = versionLimitLedger(backend);
  let ledger: Ledger;
  beforeAll(() => {
    ledger = v.ledger;
  });

  let cursor = 0;
  async function page(pipeline: string, candidates: VersionCandidate[]): Promise<string> {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    cursor++;
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: `r${cursor}`, key: 'k' }),
      rowsRead: candidates.length,
      candidates,
      quarantined: [],
    });
    return runId;
  }

  /** A license of the row `row-<serial>` at version 999, valid, its validTo long past. */
  async function pastAt999(pipeline: string): Promise<string> {
    const serial = `R${randomBytes(6).toString('hex').toUpperCase()}`;
    await page(pipeline, [realCandidate(pipeline, serial, 'day-999')]);
    await setAt999(v.database.url, serial, '2024-06-01');
    return serial;
  }

  async function tick(pipeline: string, day: string): Promise<string> {
    const runId = uniqueName('tick');
    await ledger.beginLifecycleTick({ pipeline, day, runId });
    expect(await ledger.expireDue({ pipeline, today: day, runId, limit: 10 })).toEqual([]);
    await ledger.finishLifecycleTick({ pipeline, day, runId, expired: 0 });
    return runId;
  }

  const quarantineEntries = async (serial: string) =>
    ((await ledger.licenseAudit(ids.licenseId(serial))) ?? []).filter((e) => e.action === 'quarantine');

  it('stays closed through the ticks after', async () => {
    const pipeline = uniqueName('p');
    const serial = await pastAt999(pipeline);
    const key = `row-${serial}`;
    await tick(pipeline, '2025-01-01');
    expect((await ledger.openQuarantine({ pipeline })).map((e) => e.sourceKey)).toEqual([key]);
    expect(await quarantineEntries(serial)).toHaveLength(1);

    expect(await ledger.resolveReason({ pipeline, code: 'LB_VERSION_LIMIT', sourceKey: key })).toMatchObject({
      records: 1,
    });
    const ticked = await tick(pipeline, '2025-01-02');
    await tick(pipeline, '2025-01-03');
    expect(await ledger.openQuarantine({ pipeline })).toEqual([]);
    expect(await quarantineEntries(serial)).toHaveLength(1);
    expect((await ledger.getRun(ticked))?.quarantined ?? 0).toBe(0);
  });

  it('leaves another license of the pipeline to the tick', async () => {
    const pipeline = uniqueName('p');
    const resolved = await pastAt999(pipeline);
    await tick(pipeline, '2025-01-01');
    await ledger.resolveReason({ pipeline, code: 'LB_VERSION_LIMIT', sourceKey: `row-${resolved}` });
    const other = await pastAt999(pipeline);
    await tick(pipeline, '2025-01-02');
    expect((await ledger.openQuarantine({ pipeline })).map((e) => e.sourceKey)).toEqual([`row-${other}`]);
  });
});
