/**
 * What deadSuccessors (held-replay.ts, every deliver call that reads a version landed) costs. At a
 * target with no dead letter, the common case, it is one probe of `deliveries_open_idx`: neither
 * walk of the versions runs. Where one is dead, PostgreSQL runs the walks with JIT off: on a ledger
 * not analyzed yet their estimates passed jit_above_cost, and each deliver call compiled them
 * (about 115 ms) before a read of a few rows (ledger/backlog.ts has the same hazard).
 */
import type { Knex } from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { deadSuccessors } from '../../ledger/dead-successors.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { reviewingProvince } from '../platforms/scripted-province.js';
import { BACKENDS } from './backends.js';
import { candidate } from './fixtures.js';
import { recordingDb, type Statement } from './plan-harness.js';
import { rawKnex } from './raw-knex.js';
import { signedRuns } from './signed-runs.js';

const SEAL = 'seal-dead-successors-cost';
const PIPELINE = 'dead-successors-cost';

const underReview = (key: string): unknown[] => [
  { key, status: 'submitted', platformId: `P-${key}`, errors: [] },
];

const walks = (seen: readonly Statement[]) => seen.filter((s) => /from license_versions p\b/.test(s.sql));

for (const backend of BACKENDS) {
  describe(`deadSuccessors' cost (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);
    const pg = backend.name === 'postgres';
    let k: Knex | undefined;
    afterAll(async () => {
      await k?.destroy();
    });

    it('probes once where no letter is dead, and walks without JIT where one is', async () => {
      env.batch = underReview;
      env.status = underReview;
      const [v1] = await commit([candidate({ n: 1, pipeline: PIPELINE })]);
      await deliverVersions(env.province, SEAL, env.ledger, [v1 as number]);
      const [v2] = await commit([candidate({ n: 1, pipeline: PIPELINE, status: 'revoked' })]);
      const seen: Statement[] = [];
      k = rawKnex(env.url);
      const db = recordingDb(k, pg ? 'postgres' : 'sqlite', seen);

      // No dead letter at the target: one statement, no walk.
      expect(await deadSuccessors(db, [v1 as number], 'province')).toEqual([]);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.sql).toMatch(/from [`"]?deliveries[`"]? where/);

      // One dead: the walks run, and find it.
      const versionIds = [v1 as number, v2 as number];
      const checked = await deliverVersions(env.province, SEAL, env.ledger, versionIds);
      await endDeferrals(env.ledger, 'province', checked, { deferrals: 200, final: true, versionIds });
      seen.length = 0;
      const found = await deadSuccessors(db, [v1 as number], 'province');
      expect(found.map((d) => d.versionId)).toEqual([v2]);
      const run = walks(seen);
      expect(run).toHaveLength(2);
      if (!pg) return;
      // Each walk in a transaction that turned JIT off first: costed past every JIT threshold
      // (jit_above_cost 0), its plan compiles nothing.
      const settings = seen.filter((s) => /^\s*set local\b/i.test(s.sql));
      expect(settings.map((s) => s.sql)).toContain('set local jit = off');
      for (const s of run) {
        const plan = await k.transaction(async (t) => {
          await t.raw('set local jit_above_cost = 0');
          for (const set of settings) await t.raw(set.sql);
          const res = (await t.raw(`explain (analyze, format json) ${s.sql.replace(/\$\d+/g, '?')}`, [
            ...s.bindings,
          ] as Knex.RawBinding[])) as { rows: { 'QUERY PLAN': Record<string, unknown>[] }[] };
          return res.rows[0]?.['QUERY PLAN'][0];
        });
        expect(plan).toBeDefined();
        expect(plan).not.toHaveProperty('JIT');
      }
    });
  });
}
