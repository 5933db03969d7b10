/**
 * The counts `licbridge status` and `/metrics` read (deliveries by pipeline, target and state with
 * their attempts and retries; signatures by pipeline and seal; versions awaiting a seal) are kept
 * as the rows change (migration 058), on both ledgers, as are the versions owed a license file.
 * After every kind of write — pages of versions, a revoking repair, signatures (again too), license
 * files (of a revoked version too), new deliveries, failed attempts, outcomes,
 * claims and releases, a dead letter replayed or discarded, a repair reopening an accepted
 * delivery, and rows written by hand — what the ledger answers equals a count of the rows made
 * afresh here. A writer whose change the counts missed fails the comparison that follows it.
 */
import { describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger } from './backends.js';
import { candidate, newVersions, revokingRepair, signature, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';
import { expectKeptEqualsRows, licenseFile } from './status-counts-from-rows.js';

const SEALS = ['37021100000058', '37021100000059'];

describe.each(BACKENDS)('status counts kept as the rows change ($name)', (backend) => {
  it('equal a fresh count of the rows after every kind of write', async () => {
    const database = await backend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    const raw = rawKnex(database.url);
    try {
      const [a, b] = [uniqueName('counted'), uniqueName('counted')] as [string, string];
      const check = () => expectKeptEqualsRows(ledger, raw, [a, b], SEALS);
      await check();

      // Versions: pages of two pipelines, a changed version of one license, a revoking repair.
      const idsA = await newVersions(ledger, a, 1, 6);
      const idsB = await newVersions(ledger, b, 1, 3);
      await check();
      await ledger.startRun({ runId: 'changed', pipeline: a, mode: 'incremental' });
      const changed = await ledger.commitPage({
        pipeline: a,
        runId: 'changed',
        checkpoint: encodeKeyPosition({ cursor: null, key: 'c' }),
        rowsRead: 1,
        candidates: [candidate({ n: 1, pipeline: a, content: 'b' })],
        quarantined: [],
      });
      const [repaired] = await ledger.appendRepairVersions(revokingRepair(candidate({ n: 2, pipeline: a })));
      const allA = [...idsA, ...changed.created.map((c) => c.versionId), repaired?.versionId as number];
      await check();

      // Signatures: two seals, some versions signed by both, one recorded twice.
      await ledger.recordSignatures(allA.slice(0, 6).map((id) => signature(id, SEALS[0] as string)));
      await ledger.recordSignatures([...idsB.map((id) => signature(id, SEALS[0] as string))]);
      await ledger.recordSignatures(allA.slice(2, 4).map((id) => signature(id, SEALS[1] as string)));
      await ledger.recordSignatures([signature(allA[0] as number, SEALS[0] as string, 9)]);
      await check();

      // License files: of valid versions, of a revoked one (owed none), recorded twice.
      const files = (await ledger.getVersions([...allA, ...idsB])).map((v) =>
        licenseFile({
          versionId: v.versionId,
          licenseId: v.licenseId,
          version: v.version,
          pipeline: v.lineage.pipeline,
        }),
      );
      await ledger.licenseFiles.record(files.filter((f) => f.versionId !== allA[0]).slice(0, 5));
      await ledger.licenseFiles.record(files.filter((f) => f.versionId === repaired?.versionId));
      await ledger.licenseFiles.record(files.slice(0, 3));
      await check();

      // Deliveries: two targets, attempts, outcomes of every kind, a lease taken and given back.
      const province = await ledger.ensureDeliveries(allA.slice(0, 6), 'province');
      const city = await ledger.ensureDeliveries([...allA.slice(0, 3), ...idsB], 'city');
      const [p0, p1, p2, p3, p4] = province.map((d) => d.key) as [string, string, string, string, string];
      const cityKeys = city.map((d) => d.key);
      await check();
      await ledger.recordDeliveryAttempt([p0, p1, p2], { error: 'province: timeout', reason: 'timeout' });
      await ledger.recordDeliveryAttempt([p1, p2], { error: 'province: timeout', reason: 'timeout' });
      await check();
      expect(await ledger.claimDeliveries(cityKeys, 'sender-1', 60_000)).toHaveLength(cityKeys.length);
      await check();
      await ledger.releaseDeliveries(cityKeys, 'sender-1');
      await ledger.recordDeliveryOutcomes([
        { key: p0, state: 'accepted', platformId: 'P-0' },
        { key: p1, state: 'dead', reasons: ['province: timeout'] },
        { key: p2, state: 'dead', reasons: ['province: timeout'] },
        { key: p3, state: 'submitted', platformId: 'P-3' },
        ...cityKeys.map((key, i) => ({ key, state: i % 2 ? ('accepted' as const) : ('submitted' as const) })),
      ]);
      await check();
      await ledger.recordDeliveryOutcomes([
        { key: p3, state: 'rejected', reasons: ['not valid'] },
        { key: p4, state: 'submitted' },
      ]);
      await ledger.recordDeliveryAttempt([p4], { error: 'province: status', reason: 'timeout' }, 'submitted');
      await check();

      // A dead letter replayed, one discarded, an accepted delivery reopened by a repair.
      expect(await ledger.replayDeadLetters([p1])).toHaveLength(1);
      await check();
      expect(await ledger.discardDeadLetters([p2])).toHaveLength(1);
      await check();
      // Of a license's latest version: a superseded one is not reopened.
      const reopened = cityKeys[3] as string;
      expect(await ledger.reopenDeliveries([reopened], 'reconcile', 'reconcile r-1')).toBe(1);
      await check();
      await ledger.recordDeliveryAttempt([reopened, p1], { error: 'province: timeout', reason: 'timeout' });
      await ledger.recordDeliveryOutcomes([
        { key: reopened, state: 'accepted', platformId: 'P-0' },
        { key: p1, state: 'accepted', platformId: 'P-1' },
      ]);
      await check();

      // Rows written by hand, as an operator's SQL or a later release's migration would.
      await raw('deliveries')
        .where({ version_id: allA[5], target: 'province' })
        .update({ attempts: 7, carried_attempts: 2, carried_retries: 1 });
      await raw('deliveries').where({ version_id: idsB[0], target: 'city' }).update({ state: 'pending' });
      await check();
      await raw('deliveries').where({ version_id: idsB[1] }).delete();
      await raw('signatures').where({ version_id: idsB[1] }).delete();
      await raw('license_files').where({ version_id: allA[1] }).delete();
      await check();
    } finally {
      await raw.destroy();
      await ledger.close();
      await database.dispose();
    }
  });

  it('count each change once while readers and writers overlap', async () => {
    const database = await backend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    const raw = rawKnex(database.url);
    try {
      const p = uniqueName('overlap');
      const ids = await newVersions(ledger, p, 1, 40);
      const rows = await ledger.ensureDeliveries(ids, 'province');
      const keys = rows.map((r) => r.key);
      const reads = () =>
        Promise.all([ledger.deliveryCounts(), ledger.deliveryCounts(), ledger.signatureCounts()]);
      await Promise.all([
        reads(),
        ...keys
          .slice(0, 20)
          .map((key, i) =>
            i % 2
              ? ledger.recordDeliveryOutcomes([{ key, state: 'accepted', platformId: `P-${i}` }])
              : ledger.recordDeliveryAttempt([key], { error: 'province: timeout', reason: 'timeout' }),
          ),
        reads(),
        ledger.recordSignatures(ids.slice(0, 10).map((id) => signature(id, SEALS[0] as string))),
        reads(),
      ]);
      await expectKeptEqualsRows(ledger, raw, [p], SEALS);
    } finally {
      await raw.destroy();
      await ledger.close();
      await database.dispose();
    }
  });
});
