/**
 * The versions held behind a review, renewals of renewals among them, counted by the pipeline
 * backlog (forward from the reviews, ledger/backlog.ts) and a run's progress (back from each
 * version, ledger/held-in-review.ts) as the reference reads them (bench/support/old-status-reads.ts:
 * the pipeline's versions, names read with JSON functions). The ledger holds licenses of one to
 * three versions in two pipelines, a third of them continuing a version of an earlier license,
 * itself often a renewal (chains across pipelines), with deliveries in every state, in the order
 * the deliver stage keeps or not.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oldHeldBehindReview, oldInReview, oldUndelivered } from '../../bench/support/old-status-reads.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';
import { insertDelivery, insertLicense, insertSignature, insertVersion, sequence } from './seeded-rows.js';

const TARGETS = ['province', 'city'];
const PIPELINES = ['chain-a', 'chain-b'];
const SEAL = 'seal-chain';
// Not `rejected`: migration 049 made every such row `dead`, and nothing writes one since.
const STATES = ['pending', 'submitted', 'submitted', 'accepted', 'dead', 'discarded'];

/** 200 licenses; each first version continues a version of an earlier one with chance 1 in 3. */
async function fill(db: Knex, pg: boolean, seed: number): Promise<void> {
  // One transaction: written a statement at a time, each insert was a commit of its own, synced to
  // disk on SQLite; the rows are the same.
  await db.transaction(async (k) => {
    const next = sequence(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const stamp = new Date().toISOString();
    const written: { licenseId: string; versions: number }[] = [];
    let versionId = 0;
    for (let n = 1; n <= 200; n++) {
      const pipeline = pick(PIPELINES);
      const licenseId = `CHAIN-${n}`;
      const versions = 1 + Math.floor(next() * 3);
      const continued = written.length > 0 && next() < 0.35 ? pick(written.slice(-20)) : undefined;
      await insertLicense(k, { licenseId, pipeline, n, versions, at: stamp });
      for (let version = 1; version <= versions; version++) {
        versionId++;
        await insertVersion(k, { versionId, licenseId, version, pipeline, runId: pipeline, at: stamp });
        if (version === 1 && continued) {
          const named = `${continued.licenseId}.${String(1 + Math.floor(next() * continued.versions)).padStart(3, '0')}.F`;
          await k('license_versions')
            .where('version_id', versionId)
            .update({ payload: JSON.stringify({ previousIdentifier: named }) });
        }
        await insertSignature(k, { versionId, sealId: SEAL, at: stamp });
        for (const target of TARGETS) {
          if (next() < 0.25) continue;
          await insertDelivery(k, { versionId, target, state: pick(STATES), at: stamp });
        }
      }
      written.push({ licenseId, versions });
    }
  });
  if (pg) await db.raw('analyze');
}

/** The pipeline's versions neither ended nor in review at `target` and held behind a review there. */
async function referenceHeld(k: Knex, pipeline: string, target: string, run?: string): Promise<number> {
  const row = await oldUndelivered(k, SEAL, pipeline, target)
    .modify((q) => (run ? q.andWhere('v.run_id', run) : q))
    .whereNotExists(oldInReview(k, target))
    .modify(oldHeldBehindReview(k, target))
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

async function referenceInReview(k: Knex, pipeline: string, target: string): Promise<number> {
  const row = await oldUndelivered(k, SEAL, pipeline, target)
    .whereExists(oldInReview(k, target))
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

describe.each(BACKENDS)('versions held behind reviews through renewals ($name)', (backend) => {
  let db: TestDatabase;
  let ledger: Ledger;
  let k: Knex;
  beforeAll(async () => {
    db = await backend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    k = rawKnex(db.url);
    await fill(k, backend.name === 'postgres', 17);
  });
  afterAll(async () => {
    await k?.destroy();
    await ledger?.close();
    await db?.dispose();
  });

  it('counts them in the pipeline backlog as the reference does', async () => {
    let held = 0;
    for (const pipeline of PIPELINES) {
      const backlog = await ledger.pipelineBacklog(pipeline, SEAL, TARGETS);
      for (const target of TARGETS) {
        const n = await referenceHeld(k, pipeline, target);
        held += n;
        const expected = (await referenceInReview(k, pipeline, target)) + n;
        expect({ pipeline, target, inReview: backlog.inReview?.[target] ?? 0 }).toEqual({
          pipeline,
          target,
          inReview: expected,
        });
      }
    }
    // Renewals held through others are among them: the comparison is not of the plain case only.
    let throughRenewal = 0;
    for (const pipeline of PIPELINES)
      for (const target of TARGETS) {
        const row = await oldUndelivered(k, SEAL, pipeline, target)
          .whereNotExists(oldInReview(k, target))
          .modify(oldHeldBehindReview(k, target))
          .whereExists(
            k('license_versions as f')
              .select(k.raw('1'))
              .whereRaw('f.license_id = v.license_id')
              .andWhere('f.version', 1)
              .andWhere('f.payload', 'like', '%"previousIdentifier":"CHAIN-%'),
          )
          .count({ n: '*' })
          .first();
        throughRenewal += Number(row?.n ?? 0);
      }
    expect(held).toBeGreaterThan(throughRenewal);
    expect(throughRenewal).toBeGreaterThan(5);
  });

  it("counts them in a run's progress as the reference does", async () => {
    for (const pipeline of PIPELINES) {
      const progress = await ledger.runProgress(pipeline, SEAL, TARGETS);
      for (const target of TARGETS) {
        const submitted = await k('deliveries as d')
          .join('license_versions as v', 'v.version_id', 'd.version_id')
          .where({ 'v.run_id': pipeline, 'd.target': target, 'd.state': 'submitted' })
          .count({ n: '*' })
          .first();
        const expected = Number(submitted?.n ?? 0) + (await referenceHeld(k, pipeline, target, pipeline));
        expect({ pipeline, target, inReview: progress.inReview?.[target] ?? 0 }).toEqual({
          pipeline,
          target,
          inReview: expected,
        });
      }
    }
  });
});
