/**
 * Re-deliveries held back as answered duplicates are not forgotten, on both backends: the ledger
 * counts them per pipeline and target with the oldest duplicate answer, `status` names them
 * (`duplicates-held`), and the art. 10 clock counts their versions as still owed — the platform
 * shows an older version although it accepted the key — until they are released and accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { zonedTime } from '../../core/zoned-time.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { heldDuplicateAttention } from '../../pipelines/observability/duplicate-attention.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, uniqueName } from '../ledger/fixtures.js';

describe.each(BACKENDS)('held duplicates in status and the deadline clock ($name)', (backend) => {
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

  it('counts a held re-delivery as owed and names it with its age until it is released', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '3' }),
      rowsRead: 3,
      candidates: candidates(1, 3, { pipeline }),
      quarantined: [],
    });
    const deliveries = await ledger.ensureDeliveries(
      created.map((c) => c.versionId),
      'province',
    );
    const keys = deliveries.map((d) => d.key);
    // Every version accepted; the first one's acceptance was the platform's duplicate answer.
    await ledger.recordDeliveryOutcomes([
      {
        key: keys[0] as string,
        state: 'accepted',
        platformId: 'P-1',
        receipt: { batchId: 'B', duplicate: true },
      },
      {
        key: keys[1] as string,
        state: 'accepted',
        platformId: 'P-2',
        receipt: { batchId: 'B', duplicate: false },
      },
      {
        key: keys[2] as string,
        state: 'accepted',
        platformId: 'P-3',
        receipt: { batchId: 'B', duplicate: false },
      },
    ]);
    const later = new Date(Date.now() + 60_000);
    const owed = () => ledger.overdueChanges({ pipeline, target: 'province', createdBefore: later });
    const held = async () => (await ledger.repairDuplicates.held()).filter((h) => h.pipeline === pipeline);
    expect((await owed()).count).toBe(0);
    expect(await held()).toEqual([]);

    // A repair found the platform showing an older version after that answer, and held it back.
    expect(await ledger.repairDuplicates.hold([keys[0] as string], 'repair-r1', 'operator:test')).toBe(1);
    expect((await owed()).count).toBe(1);
    const [h] = await held();
    expect(h).toMatchObject({ pipeline, target: 'province', count: 1 });
    const oldest = h?.oldest ?? new Date(Number.NaN);
    expect(oldest.getTime()).not.toBeNaN();
    const inTwoDays = new Date(oldest.getTime() + 2 * 86_400_000 + 1000);
    expect(heldDuplicateAttention(await held(), inTwoDays, 'Asia/Shanghai')).toEqual([
      {
        kind: 'duplicates-held',
        message: `pipeline ${pipeline}: 1 re-delivery(ies) to province held back as answered duplicates since ${zonedTime(oldest.toISOString(), 'Asia/Shanghai')} (2 d): the platform shows an older version than it accepted; ask it to restore that version, then \`licbridge reconcile ${pipeline} --target province --repair --yes --resend-duplicates\``,
      },
    ]);

    // Released by `--resend-duplicates`, whose repair sends it again: no longer named.
    expect(await ledger.repairDuplicates.release([keys[0] as string], 'operator:test', 'resend')).toBe(1);
    expect(await held()).toEqual([]);
  });
});
