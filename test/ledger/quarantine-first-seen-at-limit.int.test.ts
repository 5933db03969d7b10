/**
 * A key whose license holds version 999 past its validTo, read twice in one page of its run — once
 * unchanged (a clean read at the limit, quarantine-unexpirable-read.ts), once quarantined — stays
 * on the worklist: its record was open before the page and is open after, and its first seen (the
 * age the worklist shows) is kept, as for any key mapped and quarantined in one page
 * (quarantine-first-seen-kept). The clean read at the limit closed the run's record and the page
 * reopened it, its first seen the page's time. On both backends.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, QuarantineCandidate, VersionCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { uniqueName } from './fixtures.js';
import { realCandidate, setAt999, versionLimitLedger } from './version-limit-fixture.js';

describe.each(BACKENDS)('a key at 999 past its validTo read twice in one page ($name)', (backend) => {
  const v = versionLimitLedger(backend);
  let ledger: Ledger;
  beforeAll(() => {
    ledger = v.ledger;
  });

  let cursor = 0;
  async function page(
    pipeline: string,
    runId: string,
    candidates: VersionCandidate[],
    quarantined: QuarantineCandidate[] = [],
  ): Promise<void> {
    cursor++;
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: `f${cursor}`, key: 'k' }),
      rowsRead: candidates.length + quarantined.length,
      candidates,
      quarantined,
    });
  }

  it('keeps its first seen', async () => {
    const pipeline = uniqueName('p');
    const serial = `F${randomBytes(6).toString('hex').toUpperCase()}`;
    const key = `row-${serial}`;
    const first = uniqueName('run');
    await ledger.startRun({ runId: first, pipeline, mode: 'incremental' });
    await page(pipeline, first, [realCandidate(pipeline, serial, 'day-999')]);
    await setAt999(v.database.url, serial, '2024-06-01');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const fault: QuarantineCandidate = {
      sourceKey: key,
      reasons: [{ code: 'LB_MAP_REQUIRED', message: 'mapping: holder name is empty' }],
    };
    await page(pipeline, runId, [], [fault]);
    const [before] = await ledger.openQuarantine({ pipeline });
    if (!before) throw new Error('the key is not on the worklist');
    while (Date.now() <= before.firstSeen.getTime()) await new Promise((r) => setTimeout(r, 1));
    await page(pipeline, runId, [realCandidate(pipeline, serial, 'day-999')], [fault]);
    const [after] = await ledger.openQuarantine({ pipeline });
    expect(after?.sourceKey).toBe(key);
    expect(after?.firstSeen).toEqual(before.firstSeen);
  });
});
