/**
 * The ledger side of the rules' deadlines, on both backends: which versions a target still owes
 * (accepted, discarded and superseded-by-an-accepted-version ones are settled), and objections
 * opened, resolved once, listed and counted by age, each step in the audit chain with the
 * evidence's SM3 and size but none of the words written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm3Hex } from '../../catalog/sm3.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, candidates, uniqueName } from './fixtures.js';

describe.each(BACKENDS)('ledger deadlines and objections ($name)', (backend) => {
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

  async function seed(pipeline: string, count: number) {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const r = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: String(count) }),
      rowsRead: count,
      candidates: candidates(1, count, { pipeline }),
      quarantined: [],
    });
    return r.created;
  }

  const later = () => new Date(Date.now() + 60_000);

  it('counts the versions a target has not accepted, and settles accepted, discarded and superseded ones', async () => {
    const pipeline = uniqueName('p');
    const created = await seed(pipeline, 5);
    const ids = created.map((c) => c.versionId);
    const before = await ledger.overdueChanges({ pipeline, target: 'province', createdBefore: later() });
    expect(before.count).toBe(5);
    expect(before.oldest).toBeInstanceOf(Date);
    // Nothing read before the cutoff: nothing late.
    expect(
      (
        await ledger.overdueChanges({
          pipeline,
          target: 'province',
          createdBefore: new Date(Date.now() - 3_600_000),
        })
      ).count,
    ).toBe(0);

    const deliveries = await ledger.ensureDeliveries(ids, 'province');
    const key = (i: number) => deliveries.find((d) => d.versionId === ids[i])!.key;
    await ledger.recordDeliveryOutcomes([
      { key: key(0), state: 'accepted' },
      { key: key(1), state: 'dead', reasons: ['down'] },
      { key: key(2), state: 'rejected', reasons: ['no'] },
    ]);
    await ledger.discardDeadLetters([key(1)], 'closed by a person');
    // 0 accepted, 1 discarded: settled. 2 rejected, 3 and 4 pending: owed.
    expect(
      (await ledger.overdueChanges({ pipeline, target: 'province', createdBefore: later() })).count,
    ).toBe(3);
    // Another target is owed everything.
    expect((await ledger.overdueChanges({ pipeline, target: 'city', createdBefore: later() })).count).toBe(5);

    // License 3 changes; its version 2 is accepted: version 1 is no longer owed.
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const next = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '9' }),
      rowsRead: 1,
      candidates: [candidate({ n: 3, pipeline, content: 'b' })],
      quarantined: [],
    });
    const [v2] = await ledger.ensureDeliveries([next.created[0]!.versionId], 'province');
    await ledger.recordDeliveryOutcomes([{ key: v2!.key, state: 'accepted' }]);
    expect(
      (await ledger.overdueChanges({ pipeline, target: 'province', createdBefore: later() })).count,
    ).toBe(2);
  });

  it('opens an objection, resolves it once, and keeps words out of the audit chain', async () => {
    const pipeline = uniqueName('p');
    const [c] = await seed(pipeline, 1);
    const evidence = { sm3: sm3Hex('scan of the paper license'), size: 25 };
    const o = await ledger.openObjection({
      licenseId: c!.licenseId,
      unit: '某某街道便民服务中心',
      reason: '地址与纸质证照不一致：张三',
      evidence,
      actor: 'operator:test',
    });
    expect(o).toMatchObject({ licenseId: c!.licenseId, pipeline, versionAtOpen: 1, state: 'open', evidence });
    const [listed] = await ledger.listObjections({ objectionId: o.objectionId });
    expect(listed?.reason).toBe('地址与纸质证照不一致：张三');

    const open = await ledger.openObjectionsBefore(later());
    expect(open.count).toBeGreaterThanOrEqual(1);
    expect((await ledger.openObjectionsBefore(new Date(Date.now() - 3_600_000))).count).toBe(0);

    const done = await ledger.resolveObjection({
      objectionId: o.objectionId,
      outcome: 'rejected',
      note: '经核查与档案一致',
      actor: 'operator:test',
    });
    expect(done).toMatchObject({ state: 'rejected', note: '经核查与档案一致', resolvedBy: 'operator:test' });
    await expect(
      ledger.resolveObjection({ objectionId: o.objectionId, outcome: 'upheld', note: 'again', actor: 'x' }),
    ).rejects.toThrow(/is already rejected/);
    expect((await ledger.listObjections({ state: 'open', licenseId: c!.licenseId })).length).toBe(0);

    const audit = (await ledger.readAudit({ limit: 10_000 })).filter(
      (e) => e.action === 'objection' && e.licenseId === c!.licenseId,
    );
    expect(audit.map((e) => JSON.parse(e.detail).step)).toEqual(['open', 'rejected']);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ evidenceSm3: evidence.sm3, evidenceBytes: 25 });
    const text = JSON.stringify(audit);
    for (const words of ['张三', '街道', '档案']) expect(text).not.toContain(words);
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  it('refuses an objection to a license the ledger does not hold', async () => {
    await expect(
      ledger.openObjection({ licenseId: 'no.such.license', unit: 'u', reason: 'r', actor: 'operator:test' }),
    ).rejects.toThrow(/license no\.such\.license is not in the ledger/);
  });
});
