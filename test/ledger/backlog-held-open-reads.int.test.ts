/**
 * `pipelineBacklog` reads the versions held behind a review from the reviews open at the target,
 * not from the pipeline's versions: its figures match the queries it made before
 * (bench/support/old-status-reads.ts), on both ledger backends. The ledger holds licenses of one
 * to four versions in two pipelines, signed by the seal or not (some by another seal only), with
 * deliveries at two targets in every state: earlier versions in review with later ones pending,
 * failed or accepted, reviews closed, versions with no delivery yet.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  oldHeldBehindReview,
  oldInReview,
  oldUndelivered,
  oldUnsigned,
} from '../../bench/support/old-status-reads.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';
import { insertDelivery, insertLicense, insertSignature, insertVersion, sequence } from './seeded-rows.js';

const TARGETS = ['province', 'city'];
const PIPELINES = ['held-a', 'held-b'];
const SEAL = 'seal-held';
const STATES = ['pending', 'submitted', 'accepted', 'dead', 'discarded', 'rejected'];

/** `pipelineBacklog` as it read before: the pipeline's versions, per target. */
async function referenceBacklog(k: Knex, pipeline: string) {
  const unsigned = await oldUnsigned(k, SEAL, pipeline).count({ n: '*' }).first();
  const undelivered: Record<string, number> = {};
  const inReview: Record<string, number> = {};
  const held: Record<string, number> = {};
  for (const target of TARGETS) {
    const owed = await oldUndelivered(k, SEAL, pipeline, target).count({ n: '*' }).first();
    const submitted = await oldUndelivered(k, SEAL, pipeline, target)
      .whereExists(oldInReview(k, target))
      .count({ n: '*' })
      .first();
    const behind = await oldUndelivered(k, SEAL, pipeline, target)
      .whereNotExists(oldInReview(k, target))
      .modify(oldHeldBehindReview(k, target))
      .count({ n: '*' })
      .first();
    undelivered[target] = Number(owed?.n ?? 0);
    held[target] = Number(behind?.n ?? 0);
    const n = Number(submitted?.n ?? 0) + held[target];
    if (n > 0) inReview[target] = n;
  }
  return {
    backlog: {
      unsigned: Number(unsigned?.n ?? 0),
      undelivered,
      ...(Object.keys(inReview).length > 0 ? { inReview } : {}),
    },
    held,
  };
}

/** 150 licenses of one to four versions, numbered after `from`. */
async function fill(db: Knex, pg: boolean, seed: number, from: number): Promise<void> {
  // One transaction: written a statement at a time, each insert was a commit of its own, synced to
  // disk on SQLite; the rows are the same.
  await db.transaction(async (k) => {
    const next = sequence(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    let versionId = from * 10;
    const stamp = new Date().toISOString();
    for (let n = from + 1; n <= from + 150; n++) {
      const pipeline = pick(PIPELINES);
      const licenseId = `HELD-${n}`;
      const versions = 1 + Math.floor(next() * 4);
      await insertLicense(k, { licenseId, pipeline, n, versions, at: stamp });
      for (let version = 1; version <= versions; version++) {
        versionId++;
        await insertVersion(k, { versionId, licenseId, version, pipeline, runId: 'held', at: stamp });
        // One version in five awaits the seal; some of them were signed by another seal before.
        const signed = next() >= 0.2;
        if (signed) await insertSignature(k, { versionId, sealId: SEAL, at: stamp });
        if (next() < 0.3) await insertSignature(k, { versionId, sealId: 'seal-before', at: stamp });
        for (const target of TARGETS) {
          // Earlier versions in review more often than the rest, so later ones are held behind them.
          const r = next();
          if (r < 0.15) continue;
          const state = version < versions && r < 0.55 ? 'submitted' : pick(STATES);
          await insertDelivery(k, { versionId, target, state, at: stamp });
        }
      }
    }
  });
  if (pg) await db.raw('analyze');
}

describe.each(BACKENDS)('backlog held behind a review, from the open reviews ($name)', (backend) => {
  let db: TestDatabase;
  let ledger: Ledger;
  let k: Knex;
  beforeAll(async () => {
    db = await backend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    k = rawKnex(db.url);
  });
  afterAll(async () => {
    await k?.destroy();
    await ledger?.close();
    await db?.dispose();
  });

  const compare = async () => {
    let held = 0;
    for (const pipeline of [...PIPELINES, 'no-such-pipeline']) {
      const ref = await referenceBacklog(k, pipeline);
      expect({ pipeline, backlog: await ledger.pipelineBacklog(pipeline, SEAL, TARGETS) }).toEqual({
        pipeline,
        backlog: ref.backlog,
      });
      held += Object.values(ref.held).reduce((a, b) => a + b, 0);
    }
    return held;
  };

  it('counts what is owed and held as the queries over every version did', async () => {
    await fill(k, backend.name === 'postgres', 58, 0);
    // The ledger holds versions held behind reviews: the comparison is not of empty answers.
    expect(await compare()).toBeGreaterThan(0);
  });

  it('still does once reviews close, later versions are accepted and the seal signs the rest', async () => {
    // Half the reviews accepted, some rejected; later versions accepted over earlier ones in review.
    await k('deliveries')
      .where('state', 'submitted')
      .andWhereRaw('version_id % 2 = 0')
      .update({ state: 'accepted' });
    await k('deliveries')
      .where('state', 'submitted')
      .andWhereRaw('version_id % 7 = 0')
      .update({ state: 'rejected' });
    await k('deliveries')
      .where('state', 'pending')
      .andWhereRaw('version_id % 3 = 0')
      .update({ state: 'accepted' });
    expect(await compare()).toBeGreaterThan(0);
    // Every version signed: nothing awaits the seal.
    await k.raw(
      `insert into signatures (version_id, seal_id, content_hash, algorithm, digest, signature, dist_id, signer_kind, signed_at)
       select v.version_id, ?, '', 'SM2', 'd', ?, '1234567812345678', 'local', ? from license_versions v
       where not exists (select 1 from signatures s where s.version_id = v.version_id and s.seal_id = ?)`,
      [SEAL, Buffer.from([0]), new Date().toISOString(), SEAL],
    );
    await compare();
    // A second lot of licenses in review over the first.
    await fill(k, backend.name === 'postgres', 61, 1000);
    expect(await compare()).toBeGreaterThan(0);
    // No review left open: nothing is held.
    await k('deliveries').where('state', 'submitted').update({ state: 'dead' });
    expect(await compare()).toBe(0);
  });
});
