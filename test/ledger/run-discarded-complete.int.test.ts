/**
 * `licbridge dlq discard` closes a dead letter without sending (handled on paper): the delivery is
 * ended, and its successors go. A run one of whose dead letters was discarded before its other
 * deliveries landed was never complete: its progress counted the discarded delivery neither
 * delivered nor dead, so the run stayed `running` for good (`licbridge run` gave up on it, nothing
 * moving). A discarded delivery now ends its version at that target, counted apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';

describe.each(BACKENDS)('a run with a discarded dead letter ($name)', (backend) => {
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

  it('ends done once its other deliveries land, the discarded one counted apart', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const targets = ['province'];
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const page = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 3,
      candidates: candidates(1, 3, { pipeline }),
      quarantined: [],
    });
    const ids = page.created.map((c) => c.versionId);
    await ledger.markExtracted(runId);
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-d')));
    const rows = await ledger.ensureDeliveries(ids, 'province');
    const [first, second, third] = rows.map((r) => r.key) as [string, string, string];
    await ledger.recordDeliveryOutcomes([
      { key: first, state: 'accepted' },
      { key: second, state: 'dead', reasons: ['refused'] },
    ]);
    // Handled on paper while the third is still on its way.
    expect(await ledger.discardDeadLetters([second])).toHaveLength(1);
    expect(await ledger.completeRun(runId, 'seal-d', targets)).toBe(false);
    await ledger.recordDeliveryOutcomes([{ key: third, state: 'accepted' }]);
    expect(await ledger.completeRun(runId, 'seal-d', targets)).toBe(true);
    expect((await ledger.getRun(runId))?.state).toBe('done');
    const progress = await ledger.runProgress(runId, 'seal-d', targets);
    expect(progress).toEqual({
      created: 3,
      signed: 3,
      delivered: { province: 2 },
      dead: { province: 0 },
      discarded: { province: 1 },
    });
  });
});
