import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';

const SEAL = 'seal-order';

/** A candidate whose holder id type the province platform does not take (a legacy code). */
function legacyHolderType(n: number, status: 'valid' | 'revoked'): VersionCandidate {
  const c = candidate({ n, status, pipeline: 'order', content: status });
  return { ...c, build: (v) => ({ ...c.build(v), holder: { ...c.build(v).holder, idType: 'X9' } }) };
}

for (const backend of BACKENDS) {
  describe(`per-license delivery order and dead letters (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;
    let sim: ProvinceSimulator;
    let target: RestJsonTarget;

    const commit = signedRuns(() => ledger, 'order', SEAL);

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
      sim = await startProvinceSimulator();
      target = new RestJsonTarget('province', restConfig(sim.url));
    });
    afterAll(async () => {
      await target?.close();
      await sim?.close();
      await ledger?.close();
      await db?.dispose();
    });

    it('holds a revocation back until the issue it follows has landed, then sends both in order', async () => {
      const [v1] = await commit([candidate({ n: 1, pipeline: 'order' })]);
      const [v2] = await commit([candidate({ n: 1, pipeline: 'order', status: 'revoked' })]);
      const early = await deliverVersions(target, SEAL, ledger, [v2 as number]);
      expect(early).toMatchObject({ accepted: 0, waiting: 1 });
      expect(sim.stats().received).toBe(0);

      const both = await deliverVersions(target, SEAL, ledger, [v2 as number, v1 as number]);
      expect(both.accepted).toBe(2);
      expect(sim.stats().outOfOrder).toBe(0);
      const versions = sim
        .licenses()
        .sort((a, b) => a.acceptedAt.localeCompare(b.acceptedAt) || a.version - b.version);
      expect(versions.map((v) => [v.version, v.operation])).toEqual([
        [1, '01'],
        [2, '07'],
      ]);
      // Delivered once: a replayed job sends nothing.
      expect(await deliverVersions(target, SEAL, ledger, [v1 as number, v2 as number])).toMatchObject({
        skipped: 2,
      });
      expect(sim.stats().duplicates).toBe(0);
    });

    it("dead-letters a permanent rejection with the platform's reason, and the successor behind it", async () => {
      const [v1] = await commit([legacyHolderType(2, 'valid')]);
      const [v2] = await commit([legacyHolderType(2, 'revoked')]);
      const r1 = await deliverVersions(target, SEAL, ledger, [v1 as number]);
      expect(r1.dead).toBe(1);
      const r2 = await deliverVersions(target, SEAL, ledger, [v2 as number]);
      expect(r2.dead).toBe(1);
      const dead = await ledger.listDeadLetters({ target: 'province' });
      expect(dead.map((d) => d.version)).toEqual([1, 2]);
      expect(dead[0]?.reasons).toEqual(['czztdmlx: not a GB/T 36903 holder id type code']);
      expect(dead[1]?.reasons[0]).toMatch(/waits for .*:1:province, which is dead-lettered/);
    });

    it('delivers the dead letters in order once the code list is fixed and they are replayed', async () => {
      const dead = await ledger.listDeadLetters({ target: 'province' });
      const fixed = new RestJsonTarget(
        'province',
        restConfig(sim.url, { codes: { holderIdType: { X9: '001' } } }),
      );
      try {
        const replayed = await ledger.replayDeadLetters(
          dead.map((d) => d.key),
          'X9 mapped to 001',
        );
        expect(replayed).toHaveLength(2);
        const r = await deliverVersions(
          fixed,
          SEAL,
          ledger,
          replayed.map((d) => d.versionId),
        );
        expect(r.accepted).toBe(2);
        expect(await ledger.listDeadLetters({ target: 'province' })).toHaveLength(0);
        expect(sim.stats().outOfOrder).toBe(0);
      } finally {
        await fixed.close();
      }
    });

    it('discards a dead letter on request and lets its successor go', async () => {
      const [v1] = await commit([legacyHolderType(3, 'valid')]);
      const [v2] = await commit([candidate({ n: 3, pipeline: 'order', status: 'revoked', content: 'x' })]);
      await deliverVersions(target, SEAL, ledger, [v1 as number]);
      const [d] = await ledger.listDeadLetters({ target: 'province' });
      expect(d).toBeDefined();
      expect(await ledger.discardDeadLetters([d?.key as string], 'sent on paper')).toHaveLength(1);
      expect(await ledger.listDeadLetters({ target: 'province', state: 'discarded' })).toHaveLength(1);
      const r = await deliverVersions(target, SEAL, ledger, [v2 as number]);
      expect(r.accepted).toBe(1);
    });
  });
}
