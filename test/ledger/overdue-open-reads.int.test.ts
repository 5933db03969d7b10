/**
 * `overdueChanges` and `overdueDeliveries` read from the open deliveries (migration 059), not from
 * every version: they answer as the queries they replace (bench/support/old-status-reads.ts), on
 * both ledger backends. The ledger holds licenses of one to three versions in two pipelines, written on
 * both sides of each cutoff, with deliveries at two targets in every state (some held as answered
 * duplicates, some reopened or replayed), versions with no delivery yet at one target or either
 * (in one pipeline: the other's every version has its deliveries), and later versions accepted
 * over earlier ones left open.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oldOverdueChanges, oldOverdueDeliveries } from '../../bench/support/old-status-reads.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';
import { insertDelivery, insertLicense, insertVersion, sequence } from './seeded-rows.js';

const TARGETS = ['province', 'city'];
const PIPELINES = ['owed-a', 'owed-b'];
const STATES = ['pending', 'submitted', 'accepted', 'dead', 'discarded', 'rejected'];
const HOUR = 3_600_000;
const NOW = Date.now();
/** Instants the rows were written at and the cutoffs asked: hours before and after now. */
const at = (hours: number) => new Date(NOW + hours * HOUR).toISOString();

async function fill(db: Knex, pg: boolean): Promise<void> {
  // One transaction: written a statement at a time, each insert was a commit of its own, synced to
  // disk on SQLite; the rows are the same.
  await db.transaction(async (k) => {
    const next = sequence(59);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    let versionId = 0;
    for (let n = 1; n <= 120; n++) {
      const pipeline = pick(PIPELINES);
      const licenseId = `OWED-${n}`;
      const versions = 1 + Math.floor(next() * 3);
      const stamp = at(-100);
      await insertLicense(k, { licenseId, pipeline, n, versions, at: stamp });
      for (let version = 1; version <= versions; version++) {
        versionId++;
        // Written from 72 hours before now to 2 after: the cutoffs below fall between them.
        const written = at(-72 + Math.floor(next() * 75));
        await insertVersion(k, { versionId, licenseId, version, pipeline, runId: 'owed', at: written });
        for (const target of TARGETS) {
          // In `owed-a`, one version in six has no delivery yet at this target (awaiting the seal, a
          // new target): read whole. In `owed-b` every version has one: read from the open deliveries.
          if (next() < 1 / 6 && pipeline === 'owed-a') continue;
          const state = pick(STATES);
          const heldDuplicate = (state === 'accepted' || state === 'discarded') && next() < 0.3;
          const delivered = new Date(Date.parse(written) + Math.floor(next() * 10) * HOUR).toISOString();
          const reopened = next() < 0.2 ? at(-Math.floor(next() * 40)) : null;
          await insertDelivery(
            k,
            { versionId, target, state, at: delivered },
            { duplicate_repair: heldDuplicate ? 'repair-owed' : null, opened_at: reopened },
          );
          if (reopened === null && next() < 0.2) {
            await k('dead_letter_actions').insert({
              delivery_key: `${licenseId}:${version}:${target}`,
              target,
              action: pick(['replay', 'discard']),
              reasons: '[]',
              created_at: at(-Math.floor(next() * 50)),
            });
          }
        }
      }
    }
  });
  if (pg) await db.raw('analyze');
}

const asInstant = (v: unknown) =>
  v == null ? null : new Date(v instanceof Date ? v : String(v)).toISOString();

describe.each(BACKENDS)('overdue reads from the open deliveries ($name)', (backend) => {
  let db: TestDatabase;
  let ledger: Ledger;
  let k: Knex;
  beforeAll(async () => {
    db = await backend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    k = rawKnex(db.url);
    await fill(k, backend.name === 'postgres');
  });
  afterAll(async () => {
    await k?.destroy();
    await ledger?.close();
    await db?.dispose();
  });

  const cutoffs = [-80, -48, -30, -12, -1, 0, 3];

  it('counts the changes owed as the whole-ledger query did', async () => {
    let owed = 0;
    for (const pipeline of [...PIPELINES, 'no-such-pipeline'])
      for (const target of [...TARGETS, 'no-such-target'])
        for (const hours of cutoffs) {
          const before = at(hours);
          const ref = await oldOverdueChanges(k, pipeline, target, before);
          const got = await ledger.overdueChanges({ pipeline, target, createdBefore: new Date(before) });
          const count = Number(ref?.n ?? 0);
          owed += count;
          expect({ pipeline, target, hours, count: got.count, oldest: asInstant(got.oldest) }).toEqual({
            pipeline,
            target,
            hours,
            count,
            oldest: count > 0 ? asInstant(ref?.oldest) : null,
          });
        }
    // The ledger holds changes owed and settled alike: the comparison is not of empty answers.
    expect(owed).toBeGreaterThan(0);
  });

  it('counts the deliveries open too long as the whole-ledger query did', async () => {
    let open = 0;
    for (const target of [...TARGETS, 'no-such-target'])
      for (const hours of cutoffs) {
        const before = at(hours);
        const ref = (await oldOverdueDeliveries(k, target, before)).map((r) => ({
          pipeline: String(r.pipeline),
          count: Number(r.n),
          oldest: asInstant(r.oldest),
        }));
        const got = (await ledger.overdueDeliveries(target, new Date(before))).map((o) => ({
          pipeline: o.pipeline,
          count: o.count,
          oldest: asInstant(o.oldest),
        }));
        const byPipeline = (a: { pipeline: string }, b: { pipeline: string }) =>
          a.pipeline.localeCompare(b.pipeline);
        expect({ target, hours, rows: got.sort(byPipeline) }).toEqual({
          target,
          hours,
          rows: ref.sort(byPipeline),
        });
        open += ref.reduce((n, r) => n + r.count, 0);
      }
    expect(open).toBeGreaterThan(0);
  });
});
