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

    await ledger.recordDeliveryAttempt([first[0]!.key], {
      error: 'target: province unreachable: ECONNRESET',
      reason: 'unreachable',
    });
    // Ensuring again keeps the existing rows as they are.
    const again = await ledger.ensureDeliveries(ids, 'province');
    expect(again.map((d) => d.attempts)).toEqual([1, 0]);
    expect(await ledger.ensureDeliveries(ids, 'city')).toHaveLength(2);
    await expect(ledger.ensureDeliveries([ids[0]!, 987654321], 'city')).rejects.toThrow(/not in the ledger/);
  });

  it('records outcomes and never moves an accepted delivery back', async () => {
    const { ids } = await seed(2);
    const [a, b] = await ledger.ensureDeliveries(ids, 'province');
    await ledger.recordDeliveryAttempt([a!.key, b!.key], {
      error: `target: timeout ${'x'.repeat(2000)}`,
      reason: 'timeout',
    });
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
    await ledger.recordDeliveryAttempt([a!.key], { error: 'late failure', reason: 'other' });
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
      discarded: { province: 0, city: 0 },
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
      discarded: { province: 0, city: 0, nation: 0 },
    });
  });

  it('keeps counting what is not final: a rejection, a dead letter replayed or discarded', async () => {
    const { runId, ids } = await seed(6);
    const [v1, v2, v3, v4, v5] = ids as [number, number, number, number, number];
    const targets = ['province', 'city'];
    const fresh = async () => {
      const other = await openLedger(database.url, { logger: quietLogger });
      try {
        return await other.runProgress(runId, 'seal-k', targets);
      } finally {
        await other.close();
      }
    };
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-k')));
    const province = await ledger.ensureDeliveries(ids, 'province');
    const city = await ledger.ensureDeliveries(ids, 'city');
    const key = (rows: typeof province, versionId: number) =>
      rows.find((d) => d.versionId === versionId)!.key;
    await ledger.recordDeliveryOutcomes([
      { key: key(province, v1), state: 'accepted' },
      { key: key(province, v2), state: 'dead' },
      { key: key(province, v3), state: 'accepted' },
      { key: key(province, v4), state: 'rejected' },
      { key: key(province, v5), state: 'accepted' },
      ...[v1, v2, v3, v4, v5].map((v) => ({ key: key(city, v), state: 'accepted' as const })),
    ]);
    // v1–v3 are final (v2 dead at the province); v4 is rejected, which a resend may still change.
    expect(await ledger.runProgress(runId, 'seal-k', targets)).toEqual({
      created: 6,
      signed: 6,
      delivered: { province: 3, city: 5 },
      dead: { province: 1, city: 0 },
      discarded: { province: 0, city: 0 },
    });
    expect(await ledger.runProgress(runId, 'seal-k', targets)).toEqual(await fresh());
    await ledger.recordDeliveryOutcomes([{ key: key(province, v4), state: 'accepted' }]);
    expect(await ledger.runProgress(runId, 'seal-k', targets)).toMatchObject({ delivered: { province: 4 } });
    // The dead letter is replayed: pending again, neither delivered nor dead.
    await ledger.replayDeadLetters([key(province, v2)]);
    expect(await ledger.runProgress(runId, 'seal-k', targets)).toEqual({
      created: 6,
      signed: 6,
      delivered: { province: 4, city: 5 },
      dead: { province: 0, city: 0 },
      discarded: { province: 0, city: 0 },
    });
    await ledger.recordDeliveryOutcomes([{ key: key(province, v2), state: 'dead' }]);
    expect(await ledger.runProgress(runId, 'seal-k', targets)).toMatchObject({ dead: { province: 1 } });
    await ledger.discardDeadLetters([key(province, v2)]);
    expect(await ledger.runProgress(runId, 'seal-k', targets)).toEqual(await fresh());
    // Discarded: ended at the province, neither delivered nor dead.
    expect(await fresh()).toMatchObject({
      delivered: { province: 4 },
      dead: { province: 0 },
      discarded: { province: 1 },
    });
  });

  it('counts a run the same, poll after poll, as a ledger that counts it whole', async () => {
    // The ledger keeps what it has seen final (signed and accepted everywhere) and counts only the
    // rest on later polls (ledger/run-progress.ts): another ledger on the same database counts it
    // whole.
    const { runId, pipeline } = await seed(0);
    const targets = ['province', 'city'];
    const fresh = async () => {
      const other = await openLedger(database.url, { logger: quietLogger });
      try {
        return await other.runProgress(runId, 'seal-r', targets);
      } finally {
        await other.close();
      }
    };
    let random = 7;
    const next = (n: number) => {
      random = (random * 1103515245 + 12345) % 2147483648;
      return random % n;
    };
    const ids: number[] = [];
    const rows = new Map<string, Awaited<ReturnType<Ledger['ensureDeliveries']>>>();
    for (let step = 0; step < 12; step++) {
      // A page of new versions, then some of the run's versions, old and new, move on.
      const result = await ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: `step-${step}` }),
        rowsRead: 4,
        candidates: candidates(100 + step * 4, 4, { pipeline }),
        quarantined: [],
      });
      ids.push(...result.created.map((c) => c.versionId));
      const moving = ids.filter(() => next(3) === 0);
      await ledger.recordSignatures(moving.map((id) => signature(id, 'seal-r')));
      for (const t of targets) {
        const ensured = await ledger.ensureDeliveries(moving, t);
        rows.set(t, [...(rows.get(t) ?? []), ...ensured]);
        await ledger.recordDeliveryOutcomes(
          ensured.map((d) => ({
            key: d.key,
            state: (['accepted', 'accepted', 'dead', 'rejected'] as const)[next(4)] ?? 'accepted',
          })),
        );
      }
      // Now and then an operator replays a dead letter or discards one: it is not dead any more.
      if (step % 4 === 3) {
        const deadKeys = (await ledger.listDeadLetters({ pipeline, limit: 1000 }))
          .filter((d) => ids.includes(d.versionId))
          .map((d) => d.key);
        if (step === 3) await ledger.replayDeadLetters(deadKeys.slice(0, 1));
        else await ledger.discardDeadLetters(deadKeys.slice(0, 1));
      }
      const polled = await ledger.runProgress(runId, 'seal-r', targets);
      expect(polled).toEqual(await fresh());
    }
    // Everything final at last: the counts are whole.
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-r')));
    for (const t of targets) {
      const ensured = await ledger.ensureDeliveries(ids, t);
      await ledger.recordDeliveryOutcomes(ensured.map((d) => ({ key: d.key, state: 'accepted' as const })));
    }
    const last = await ledger.runProgress(runId, 'seal-r', targets);
    expect(last).toEqual({
      created: 48,
      signed: 48,
      delivered: { province: 48, city: 48 },
      dead: { province: 0, city: 0 },
      discarded: { province: 0, city: 0 },
    });
    expect(last).toEqual(await fresh());
    // A page more after everything was final: its versions count, from the first on.
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'after' }),
      rowsRead: 2,
      candidates: candidates(200, 2, { pipeline }),
      quarantined: [],
    });
    expect(await ledger.runProgress(runId, 'seal-r', targets)).toMatchObject({ created: 50, signed: 48 });
    expect(await ledger.runProgress(runId, 'seal-r', targets)).toEqual(await fresh());
  });

  it('returns what a replayed empty call asks for: nothing', async () => {
    expect(await ledger.getVersions([])).toEqual([]);
    expect(await ledger.getSignatures([])).toEqual([]);
    expect(await ledger.ensureDeliveries([], 'province')).toEqual([]);
    expect(await ledger.getDeliveries([])).toEqual([]);
    await ledger.recordDeliveryOutcomes([]);
    await ledger.recordDeliveryAttempt([], { error: 'x', reason: 'other' });
  });
});
