/**
 * A repair's reopening reads each delivery (its state, whether a repair holds it back) and then
 * puts it back to `pending`. On PostgreSQL another writer may commit between that read and the
 * write: a deliver job's `submitted` answer, a dead letter written again after a replay, another
 * repair's hold. The write is made only over the row as read (state, `revision`, no hold), so what
 * was written meanwhile stays, and the next check looks again. SQLite takes its write lock before
 * the read, so nothing comes between; on both, a delivery nobody touched is reopened as before.
 */
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../ledger/db.js';
import type { DeliveryOutcome } from '../../ledger/delivery-outcomes.js';
import { reopenDeliveries } from '../../ledger/reconcile-repairs.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { BACKENDS, type Backend, postgresBackend, quietLogger } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { overriding } from '../support/meanwhile.js';
import { type DeliveredLicense, deliveredLicense } from './delivered-license.js';

/**
 * `db`, whose write transactions run `step` once, right after their first read of `deliveries as d`
 * returned: the reopening has read the row and not written it yet.
 */
function afterDeliveryRead(db: Db, step: () => Promise<unknown>): Db {
  let once: (() => Promise<unknown>) | undefined = step;
  const watched = (trx: Knex.Transaction): Knex.Transaction =>
    new Proxy(trx, {
      apply(t, self, args: unknown[]) {
        const q = Reflect.apply(t, self, args) as Knex.QueryBuilder;
        const run = once;
        if (args[0] !== 'deliveries as d' || !run) return q;
        once = undefined;
        const then = q.then.bind(q);
        Object.assign(q, {
          // biome-ignore lint/suspicious/noThenProperty: the read is awaited as knex's own, then `step` runs.
          then: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) =>
            then(async (rows: unknown) => {
              await run();
              return rows;
            }).then(ok, fail),
        });
        return q;
      },
    });
  return overriding(db, { write: (op, work) => db.write(op, (trx) => work(watched(trx))) });
}

const opened: { fixture: DeliveredLicense; k: Knex }[] = [];

/** A delivered license answered `answer`, and a `Db` of the test's own on its database. */
async function delivered(
  backend: Backend,
  answer: Omit<DeliveryOutcome, 'key'>,
): Promise<DeliveredLicense & { db: Db }> {
  const fixture = await deliveredLicense(backend, 'RM', answer);
  const k = rawKnex(fixture.url);
  opened.push({ fixture, k });
  const db = createDb({
    knex: k,
    dialect: backend.name,
    maxParams: 999,
    maxRows: 500,
    log: quietLogger,
    // The other writer's step runs inside this write on PostgreSQL; SQLite is not staged so.
    exclusive: noWriteLock,
  });
  return { ...fixture, db };
}

afterEach(async () => {
  for (const { fixture, k } of opened.splice(0)) {
    await k.destroy();
    await fixture.close();
  }
});

async function repairEntries(f: DeliveredLicense): Promise<unknown[]> {
  return (await f.ledger.readAudit({ limit: 1000 })).filter(
    (e) => e.action === 'repair' && e.licenseId === f.licenseId,
  );
}

describe('a reopening and a writer committing between its read and its write (postgres)', () => {
  it('leaves a submitted answer committed meanwhile, with its receipt', async () => {
    const f = await delivered(postgresBackend, { state: 'accepted', platformId: 'P-1' });
    // An earlier repair reopened it; a deliver job is sending it again.
    expect(await f.ledger.reopenDeliveries([f.key], 'operator:test', 'reconcile r1')).toBe(1);
    const answering = afterDeliveryRead(f.db, () =>
      f.ledger.recordDeliveryOutcomes([
        { key: f.key, state: 'submitted', platformId: 'P-2', receipt: { batchId: 'B-2' }, from: 'pending' },
      ]),
    );

    expect(await reopenDeliveries(answering, [f.key], 'operator:test', 'reconcile r2')).toBe(0);
    const [d] = await f.ledger.getDeliveries([f.key]);
    expect(d).toMatchObject({ state: 'submitted', platformId: 'P-2', receipt: { batchId: 'B-2' } });
    expect(await repairEntries(f)).toHaveLength(1);
  });

  it('leaves a dead letter replayed and written again meanwhile, with its new reasons', async () => {
    const f = await delivered(postgresBackend, {
      state: 'dead',
      reasons: ['platform: zzbh not in the catalog'],
    });
    const again = afterDeliveryRead(f.db, async () => {
      expect(await f.ledger.replayDeadLetters([f.key], 'catalog fixed')).toHaveLength(1);
      await f.ledger.recordDeliveryOutcomes([
        { key: f.key, state: 'dead', reasons: ['platform: holder id not found'], from: 'pending' },
      ]);
    });

    expect(await reopenDeliveries(again, [f.key], 'operator:test', 'reconcile r1')).toBe(0);
    const [d] = await f.ledger.getDeliveries([f.key]);
    expect(d).toMatchObject({ state: 'dead', reasons: ['platform: holder id not found'] });
    expect(await repairEntries(f)).toEqual([]);
  });

  it('leaves a delivery another repair held back meanwhile as answered a duplicate', async () => {
    const f = await delivered(postgresBackend, {
      state: 'accepted',
      platformId: 'P-1',
      receipt: { duplicate: true },
    });
    const holding = afterDeliveryRead(f.db, async () => {
      expect(await f.ledger.repairDuplicates.hold([f.key], 'repair-other', 'operator:other')).toBe(1);
    });

    expect(await reopenDeliveries(holding, [f.key], 'operator:test', 'reconcile r1')).toBe(0);
    const [d] = await f.ledger.getDeliveries([f.key]);
    expect(d?.state).toBe('accepted');
    const [held] = await f.ledger.repairDuplicates.find([f.key]);
    expect(held).toMatchObject({ key: f.key, heldBy: 'repair-other' });
    expect(held?.answeredAt).not.toBeNull();
  });
});

describe.each(BACKENDS)('a reopening nobody raced ($name)', (backend) => {
  it('puts back to pending a delivery accepted, then one reopened and dead-lettered', async () => {
    const f = await delivered(backend, { state: 'accepted', platformId: 'P-1', receipt: { batchId: 'B-1' } });
    expect(await reopenDeliveries(f.db, [f.key], 'operator:test', 'reconcile r1')).toBe(1);
    expect((await f.ledger.getDeliveries([f.key]))[0]).toMatchObject({
      state: 'pending',
      attempts: 0,
      receipt: null,
    });
    await f.ledger.recordDeliveryOutcomes([{ key: f.key, state: 'dead', reasons: ['platform: zzbh'] }]);
    expect(await reopenDeliveries(f.db, [f.key], 'operator:test', 'reconcile r2')).toBe(1);
    expect((await f.ledger.getDeliveries([f.key]))[0]).toMatchObject({ state: 'pending', reasons: [] });
    expect(await repairEntries(f)).toHaveLength(2);
  });
});
