import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';

describe.each(BACKENDS)('ledger signatures, deliveries and progress ($name)', (backend) => {
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

  /** A run with `count` new versions; returns its id, pipeline and version ids. */
  async function seed(count: number): Promise<{ runId: string; pipeline: string; ids: number[] }> {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: String(count) }),
      rowsRead: count,
      candidates: candidates(1, count, { pipeline }),
      quarantined: [],
    });
    return { runId, pipeline, ids: result.created.map((c) => c.versionId) };
  }

  it('records a signature once per (version, seal) and round-trips its bytes and date', async () => {
    const { ids } = await seed(3);
    const [a, b, c] = ids as [number, number, number];
    expect(await ledger.recordSignatures([signature(a, 'seal-1'), signature(b, 'seal-1')])).toBe(2);
    // A replayed sign job: the first signature stands; only the new pair counts.
    expect(await ledger.recordSignatures([signature(a, 'seal-1', 99), signature(c, 'seal-1')])).toBe(1);
    expect(await ledger.recordSignatures([])).toBe(0);

    const stored = await ledger.getSignatures([a, b, c]);
    expect(stored.map((s) => s.versionId)).toEqual([a, b, c]);
    expect(stored[0]).toEqual(signature(a, 'seal-1'));
    expect(stored[0]!.signature).toBeInstanceOf(Uint8Array);
    expect(Array.from(stored[0]!.signature)).toEqual([0, 255, 7, 1, 2, 3, 128, 0]);
    expect(stored[0]!.signedAt).toEqual(new Date('2024-05-06T07:08:09.123Z'));
  });

  it('lists versions unsigned by a seal, oldest first, by pipeline and with a limit', async () => {
    const one = await seed(4);
    const two = await seed(2);
    await ledger.recordSignatures([signature(one.ids[1]!, 'seal-u'), signature(one.ids[2]!, 'other-seal')]);

    expect(await ledger.unsignedVersionIds({ sealId: 'seal-u', pipeline: one.pipeline })).toEqual([
      one.ids[0],
      one.ids[2],
      one.ids[3],
    ]);
    expect(await ledger.unsignedVersionIds({ sealId: 'seal-u', pipeline: one.pipeline, limit: 2 })).toEqual([
      one.ids[0],
      one.ids[2],
    ]);
    const all = await ledger.unsignedVersionIds({ sealId: 'seal-u' });
    expect(all).toEqual(expect.arrayContaining([...two.ids, one.ids[0]]));
    expect(all).not.toContain(one.ids[1]);
    expect([...all].sort((x, y) => x - y)).toEqual(all);
  });

  it('creates pending deliveries once and keys them by license, version and target', async () => {
    const { ids } = await seed(2);
    const first = await ledger.ensureDeliveries(ids, 'province');
    expect(first).toHaveLength(2);
    const [versionA] = await ledger.getVersions([ids[0]!]);
    expect(first[0]).toMatchObject({
      key: `${versionA!.licenseId}:1:province`,
      licenseId: versionA!.licenseId,
      version: 1,
      versionId: ids[0],
      target: 'province',
      state: 'pending',
      attempts: 0,
      platformId: null,
      reasons: [],
      receipt: null,
    });
    expect(first[0]!.updatedAt).toBeInstanceOf(Date);

    await ledger.recordDeliveryAttempt([first[0]!.key], 'target: province unreachable: ECONNRESET');
    // Ensuring again keeps the existing rows as they are.
    const again = await ledger.ensureDeliveries(ids, 'province');
    expect(again.map((d) => d.attempts)).toEqual([1, 0]);
    expect(await ledger.ensureDeliveries(ids, 'city')).toHaveLength(2);
    await expect(ledger.ensureDeliveries([ids[0]!, 987654321], 'city')).rejects.toThrow(/not in the ledger/);
  });

  it('records outcomes and never moves an accepted delivery back', async () => {
    const { ids } = await seed(2);
    const [a, b] = await ledger.ensureDeliveries(ids, 'province');
    await ledger.recordDeliveryAttempt([a!.key, b!.key], `target: timeout ${'x'.repeat(2000)}`);
    await ledger.recordDeliveryOutcomes([
      { key: a!.key, state: 'submitted', platformId: 'PLT-1' },
      { key: b!.key, state: 'rejected', reasons: ['E102 holder id mismatch'] },
    ]);
    await ledger.recordDeliveryOutcomes([
      { key: a!.key, state: 'accepted', receipt: { receiptNo: 'R-1', at: '2024-05-06' } },
    ]);

    let [da, db] = await ledger.getDeliveries([a!.key, b!.key]);
    expect(da).toMatchObject({
      state: 'accepted',
      attempts: 3,
      platformId: 'PLT-1',
      receipt: { receiptNo: 'R-1', at: '2024-05-06' },
    });
    expect(db).toMatchObject({ state: 'rejected', attempts: 2, reasons: ['E102 holder id mismatch'] });

    // Replays and late failures leave the accepted row untouched.
    await ledger.recordDeliveryOutcomes([
      { key: a!.key, state: 'accepted', receipt: { receiptNo: 'R-2' } },
      { key: a!.key, state: 'rejected', reasons: ['late'] },
      { key: a!.key, state: 'dead' },
    ]);
    await ledger.recordDeliveryAttempt([a!.key], 'late failure');
    [da, db] = await ledger.getDeliveries([a!.key, b!.key]);
    expect(da).toMatchObject({
      state: 'accepted',
      attempts: 3,
      receipt: { receiptNo: 'R-1', at: '2024-05-06' },
    });

    // A rejected delivery may still be resubmitted and accepted.
    await ledger.recordDeliveryOutcomes([{ key: b!.key, state: 'accepted', platformId: 'PLT-2' }]);
    [, db] = await ledger.getDeliveries([a!.key, b!.key]);
    expect(db).toMatchObject({ state: 'accepted', platformId: 'PLT-2', reasons: [], attempts: 3 });
  });

  it('reports a run’s progress: created, signed, accepted and dead per target', async () => {
    const { runId, ids } = await seed(4);
    const other = await seed(2);
    const [v1, v2, v3, v4] = ids as [number, number, number, number];

    expect(await ledger.runProgress(runId, 'seal-p', ['province', 'city'])).toEqual({
      created: 4,
      signed: 0,
      delivered: { province: 0, city: 0 },
      dead: { province: 0, city: 0 },
    });

    await ledger.recordSignatures([
      signature(v1, 'seal-p'),
      signature(v2, 'seal-p'),
      signature(v3, 'another-seal'),
      signature(other.ids[0]!, 'seal-p'),
    ]);
    const province = await ledger.ensureDeliveries([v1, v2, v3, v4, ...other.ids], 'province');
    const city = await ledger.ensureDeliveries([v1, v2], 'city');
    const key = (rows: typeof province, versionId: number) =>
      rows.find((d) => d.versionId === versionId)!.key;
    await ledger.recordDeliveryOutcomes([
      { key: key(province, v1), state: 'accepted' },
      { key: key(province, v2), state: 'accepted' },
      { key: key(province, v3), state: 'dead', reasons: ['gave up'] },
      { key: key(province, v4), state: 'rejected' },
      { key: key(province, other.ids[0]!), state: 'accepted' },
      { key: key(city, v1), state: 'dead' },
    ]);

    expect(await ledger.runProgress(runId, 'seal-p', ['province', 'city', 'nation'])).toEqual({
      created: 4,
      signed: 2,
      delivered: { province: 2, city: 0, nation: 0 },
      dead: { province: 1, city: 1, nation: 0 },
    });
  });

  it('returns what a replayed empty call asks for: nothing', async () => {
    expect(await ledger.getVersions([])).toEqual([]);
    expect(await ledger.getSignatures([])).toEqual([]);
    expect(await ledger.ensureDeliveries([], 'province')).toEqual([]);
    expect(await ledger.getDeliveries([])).toEqual([]);
    await ledger.recordDeliveryOutcomes([]);
    await ledger.recordDeliveryAttempt([], 'x');
  });
});
