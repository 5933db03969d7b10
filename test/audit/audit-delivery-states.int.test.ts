/**
 * A delivery's state is written in the transaction of its `deliver` or `dead-letter` entry
 * (ledger/delivery-outcomes.ts), so every delivery the ledger holds as accepted, submitted or dead
 * has an entry of that state naming it. A row rewritten in the database (a dead letter made
 * `accepted`, a pending row made `submitted`) has none, nor has one whose entry was cut off the
 * chain's end with the head set back: verify names it as `unrecorded`. A dead row a `rejected`
 * outcome recorded (migration 049 made such rows dead) is its entry's. Both ledgers.
 */
import type { Knex } from 'knex';
import knexModule from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryTally, unrecordedDeliveries } from '../../ledger/audit-deliveries.js';
import type { AuditEntry } from '../../ledger/audit-types.js';
import { createDb, type Db } from '../../ledger/db.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, commitOnePage } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

const knex = knexModule as unknown as typeof knexModule.knex;

/** A second connection to the ledger's database, as the verifying process would have. */
function connect(url: string): { db: Db; close(): Promise<void> } {
  const sqlite = url.startsWith('sqlite://');
  let k: ReturnType<typeof knex>;
  if (sqlite) {
    k = knex({
      client: 'better-sqlite3',
      connection: { filename: url.slice('sqlite://'.length) },
      useNullAsDefault: true,
    });
  } else {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') as string;
    parsed.searchParams.delete('schema');
    k = knex({ client: 'pg', connection: parsed.toString(), searchPath: [schema] });
  }
  const db = createDb({
    knex: k,
    dialect: sqlite ? 'sqlite' : 'postgres',
    maxParams: 999,
    maxRows: 500,
    log: quietLogger,
    exclusive: noWriteLock,
  });
  return { db, close: () => k.destroy() };
}

describe.each(BACKENDS)('audit verify of delivery states ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let ids: [number, number, number, number, number];
  /** Delivery keys at `province` by version id. */
  const keys = new Map<number, string>();

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    const page = await commitOnePage(ledger, 'dst', 'run-1', candidates(1, 5, { pipeline: 'dst' }));
    ids = page.created.map((c) => c.versionId) as typeof ids;
    for (const d of await ledger.ensureDeliveries(ids, 'province')) keys.set(d.versionId, d.key);
    const key = (id: number) => keys.get(id) as string;
    // Two accepted in one batch entry, a dead letter, one in review, one rejected (as an earlier
    // release recorded a platform's rejection), and one left pending.
    await ledger.recordDeliveryOutcomes([
      { key: key(ids[0]), state: 'accepted', platformId: 'p-1' },
      { key: key(ids[1]), state: 'accepted', platformId: 'p-2' },
    ]);
    await ledger.recordDeliveryOutcomes([{ key: key(ids[2]), state: 'dead', reasons: ['province: E1'] }]);
    await ledger.recordDeliveryOutcomes([{ key: key(ids[3]), state: 'rejected', reasons: ['province: E2'] }]);
    // Migration 049: a rejected row is dead, its entry still `deliver` of state rejected.
    await raw('deliveries').where({ version_id: ids[3], target: 'province' }).update({ state: 'dead' });
    const [city] = await ledger.ensureDeliveries([ids[0]], 'city');
    await ledger.recordDeliveryOutcomes([{ key: (city as { key: string }).key, state: 'submitted' }]);
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  /** Verify with the delivery of `id` at `target` set to `state`; put back after. */
  const verifyWith = async (id: number, target: string, state: string) => {
    const where = { version_id: id, target };
    const before: { state: string } = await raw('deliveries').where(where).first();
    await raw('deliveries').where(where).update({ state });
    try {
      return await ledger.verifyAudit({ pageSize: 2 });
    } finally {
      await raw('deliveries').where(where).update({ state: before.state });
    }
  };

  it('verifies the ledger as written, a rejected row made dead included', async () => {
    expect(await ledger.verifyAudit({ pageSize: 2 })).toMatchObject({ ok: true });
  });

  it.each([
    ['a dead letter rewritten as accepted', 2, 'accepted'],
    ['a pending delivery rewritten as accepted', 4, 'accepted'],
    ['a pending delivery rewritten as submitted', 4, 'submitted'],
    ['a pending delivery rewritten as dead', 4, 'dead'],
    ['an accepted delivery rewritten as dead', 0, 'dead'],
  ])('fails %s, naming the delivery', async (_what, index, state) => {
    const id = ids[index as 0] as number;
    const result = await verifyWith(id, 'province', state);
    expect(result).toMatchObject({ ok: false, firstBad: { kind: 'unrecorded' } });
    if (!result.ok) {
      expect(result.firstBad.seq).toBe(result.headSeq + 1);
      expect(result.firstBad.message).toContain(`delivery ${keys.get(id)} (${state}, version id ${id})`);
    }
  });

  it('fails a delivery moved from review to accepted in the database', async () => {
    const result = await verifyWith(ids[0], 'city', 'accepted');
    expect(result).toMatchObject({ ok: false, firstBad: { kind: 'unrecorded' } });
  });

  it('fails a chain cut from the last delivery outcome on, the head set back', async () => {
    const entries: AuditEntry[] = await ledger.readAudit({ limit: 1000 });
    const last = entries.at(-1) as AuditEntry;
    expect(last.action).toBe('deliver');
    const before = entries.at(-2) as AuditEntry;
    const cut: Record<string, unknown>[] = await raw('audit_log').where('seq', last.seq);
    await raw('audit_log').where('seq', last.seq).del();
    await raw('audit_head').where({ id: 1 }).update({ seq: before.seq, hash: before.hash });
    try {
      const result = await ledger.verifyAudit({ pageSize: 2 });
      expect(result).toMatchObject({ ok: false, firstBad: { kind: 'unrecorded', seq: last.seq } });
      if (!result.ok) expect(result.firstBad.message).toMatch(/:city \(submitted, version id/);
    } finally {
      await raw('audit_log').insert(cut);
      await raw('audit_head').where({ id: 1 }).update({ seq: last.seq, hash: last.hash });
    }
    expect(await ledger.verifyAudit({ pageSize: 2 })).toMatchObject({ ok: true });
  });

  it('takes a delivery recorded after the head was read as its entry’s, past the head', async () => {
    // The walk noted the entries up to the head; an outcome committed since has its entry past it,
    // and its row is read in the state it wrote: the entries appended since are read before naming it.
    const db = connect(database.url);
    const walked = async () => {
      const tally = new DeliveryTally();
      for (const e of before) tally.note(e);
      await tally.settle(db.db);
      return tally;
    };
    const before = await ledger.readAudit({ limit: 1000 });
    const headSeq = before.length;
    try {
      const [row] = await ledger.ensureDeliveries([ids[4]], 'live');
      await ledger.recordDeliveryOutcomes([{ key: (row as { key: string }).key, state: 'accepted' }]);
      expect(await unrecordedDeliveries(db.db, await walked(), { headSeq, pageSize: 2 })).toEqual([]);
      // With the entries past that head left unread (a head said to be the last entry), the row is named.
      const last = (await ledger.readAudit({ limit: 1000 })).length;
      expect(await unrecordedDeliveries(db.db, await walked(), { headSeq: last, pageSize: 2 })).toEqual([
        { key: (row as { key: string }).key, state: 'accepted', versionId: ids[4] },
      ]);
    } finally {
      await db.close();
    }
  });

  it('takes a delivery accepted again after its reopening as its later entry’s', async () => {
    const key = keys.get(ids[1]) as string;
    expect(await ledger.reopenDeliveries([key], 'operator:test', 'resend')).toBe(1);
    expect(await ledger.verifyAudit({ pageSize: 2 })).toMatchObject({ ok: true });
    await ledger.recordDeliveryOutcomes([{ key, state: 'accepted', platformId: 'p-2b' }]);
    expect(await ledger.verifyAudit({ pageSize: 2 })).toMatchObject({ ok: true });
  });
});

describe.each(BACKENDS)('audit verify of delivery states, a window of ids at a time ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let ids: number[];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    const page = await commitOnePage(ledger, 'dsw', 'run-1', candidates(1, 12, { pipeline: 'dsw' }));
    ids = page.created.map((c) => c.versionId);
    const rows = await ledger.ensureDeliveries(ids, 'province');
    // Every other one accepted, each in an entry of its own: six ranges of ids, past a cap of 2.
    for (const d of rows.filter((_, i) => i % 2 === 0))
      await ledger.recordDeliveryOutcomes([{ key: d.key, state: 'accepted' }]);
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('verifies the ledger as written, and names a row rewritten past the first window', async () => {
    expect(await ledger.verifyAudit({ pageSize: 2, rangeCap: 2 })).toMatchObject({ ok: true });
    const id = ids[9] as number;
    await raw('deliveries').where({ version_id: id, target: 'province' }).update({ state: 'accepted' });
    try {
      const result = await ledger.verifyAudit({ pageSize: 2, rangeCap: 2 });
      expect(result).toMatchObject({ ok: false, firstBad: { kind: 'unrecorded' } });
      if (!result.ok) expect(result.firstBad.message).toContain(`(accepted, version id ${id})`);
    } finally {
      await raw('deliveries').where({ version_id: id, target: 'province' }).update({ state: 'pending' });
    }
  });
});
