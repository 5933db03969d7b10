/**
 * PostgreSQL keeps the row version each outcome replaces until a vacuum (ledger/delivery-vacuum.ts):
 * a sender's claim vacuums `deliveries` once those dead versions pass a fifth of its rows (and
 * 1,000), so a server whose autovacuum is off or behind does not keep every delivery twice; below
 * that, it vacuums nothing. Either way the claim claims as before. A role that does not own the
 * table runs no vacuum, nor does one while another vacuum holds it: PostgreSQL would skip it with a
 * warning in its log every few seconds.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../ledger/db.js';
import { reclaimDeliveryRoom } from '../../ledger/delivery-vacuum.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { newVersions, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

interface TableStats {
  dead: number;
  vacuums: number;
}

async function stats(raw: Knex): Promise<TableStats> {
  const res: { rows: { dead: string; vacuums: string }[] } = await raw.raw(
    `select n_dead_tup as dead, vacuum_count as vacuums
       from pg_stat_user_tables where schemaname = current_schema() and relname = 'deliveries'`,
  );
  const row = res.rows[0];
  return { dead: Number(row?.dead ?? 0), vacuums: Number(row?.vacuums ?? 0) };
}

/**
 * The statistics once they count `dead` dead row versions. A session hands its counts over when
 * idle, up to seconds later, or as it ends: the ledger that wrote them is closed first.
 */
async function statsWithDead(raw: Knex, dead: number): Promise<TableStats> {
  const until = Date.now() + 20_000;
  let seen = await stats(raw);
  while (seen.dead < dead && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    seen = await stats(raw);
  }
  return seen;
}

/** `count` deliveries to `province`, each given its outcome: a dead row version each. */
async function accepted(ledger: Ledger, pipeline: string, from: number, count: number): Promise<void> {
  for (let i = 0; i < count; i += 500) {
    const ids = await newVersions(ledger, pipeline, from + i, Math.min(500, count - i));
    const rows = await ledger.ensureDeliveries(ids, 'province');
    await ledger.recordDeliveryOutcomes(
      rows.map((d, n) => ({ key: d.key, state: 'accepted' as const, platformId: `PV-${from + i + n}` })),
    );
  }
}

/**
 * `dead` dead row versions in `deliveries`, written through `ledger`, which is closed so that its
 * counts reach the statistics: those statistics. Autovacuum is off on the table, as it would
 * empty them at a moment of its own.
 */
async function deadDeliveries(raw: Knex, ledger: Ledger, name: string, dead: number): Promise<TableStats> {
  await raw.raw('alter table deliveries set (autovacuum_enabled = false)');
  await accepted(ledger, uniqueName(name), 1, dead);
  await ledger.close();
  const before = await statsWithDead(raw, dead);
  expect(before.dead).toBeGreaterThanOrEqual(dead);
  return before;
}

/**
 * One delivery claimed on a fresh database (its statistics its own) whose deliveries hold `dead`
 * dead row versions: the vacuums the claim ran (waited for when one is expected).
 */
async function vacuumsOfAClaim(name: string, dead: number, expectOne: boolean): Promise<number> {
  const database = await postgresBackend.create();
  const raw = rawKnex(database.url);
  let ledger = await openLedger(database.url, { logger: quietLogger });
  try {
    const before = await deadDeliveries(raw, ledger, name, dead);
    ledger = await openLedger(database.url, { logger: quietLogger });
    const [id] = await newVersions(ledger, uniqueName(name), 5_000, 1);
    const [open] = await ledger.ensureDeliveries([id as number], 'province');
    expect(await ledger.claimDeliveries([open?.key as string], 'sender-1', 60_000)).toEqual([open?.key]);
    // The vacuum runs beside the claim, which does not wait for it: its end is waited for here.
    const until = Date.now() + (expectOne ? 20_000 : 0);
    let seen = await stats(raw);
    while (seen.vacuums === before.vacuums && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await stats(raw);
    }
    return seen.vacuums - before.vacuums;
  } finally {
    await ledger.close();
    await raw.destroy();
    await database.dispose();
  }
}

describe('deliveries vacuumed by a claim (postgres)', () => {
  it('vacuums once the outcomes left more dead row versions than a fifth of the rows', async () => {
    expect(await vacuumsOfAClaim('vacuum', 1_200, true)).toBe(1);
  });
});

describe('deliveries left to autovacuum below the share (postgres)', () => {
  it('does not vacuum for fewer than 1,000 dead row versions', async () => {
    expect(await vacuumsOfAClaim('few', 300, false)).toBe(0);
  });
});

describe('deliveries of a role that does not own them (postgres)', () => {
  let database: TestDatabase;
  let raw: Knex;
  let asRole: Knex | undefined;
  const role = `lb_rw_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    database = await postgresBackend.create();
    raw = rawKnex(database.url);
  });

  afterAll(async () => {
    await asRole?.destroy();
    await raw?.destroy();
    await database?.dispose();
    const admin = rawKnex(database.url);
    await admin.raw(`drop role if exists ${role}`);
    await admin.destroy();
  });

  it('looks and runs no vacuum, which PostgreSQL would skip with a warning', async () => {
    const owner = await openLedger(database.url, { logger: quietLogger });
    const before = await deadDeliveries(raw, owner, 'rw', 1_200);

    const schema = new URL(database.url).searchParams.get('schema') as string;
    await raw.raw(`create role ${role} login password 'rw'`);
    await raw.raw(`grant usage on schema "${schema}" to ${role}`);
    await raw.raw(`grant select, insert, update, delete on all tables in schema "${schema}" to ${role}`);
    const url = new URL(database.url);
    url.username = role;
    url.password = 'rw';
    asRole = rawKnex(url.toString());
    const db = { knex: asRole, dialect: 'postgres', log: quietLogger } as unknown as Db;
    expect(await reclaimDeliveryRoom(db)).toBe(false);
    expect((await stats(raw)).vacuums).toBe(before.vacuums);
  });
});

describe('deliveries another vacuum holds (postgres)', () => {
  let database: TestDatabase;
  let raw: Knex;
  let holder: Knex;

  beforeAll(async () => {
    database = await postgresBackend.create();
    raw = rawKnex(database.url);
    holder = rawKnex(database.url);
  });

  afterAll(async () => {
    await holder?.destroy();
    await raw?.destroy();
    await database?.dispose();
  });

  it('runs none until it is done, which SKIP_LOCKED would skip with a warning', async () => {
    const ledger = await openLedger(database.url, { logger: quietLogger });
    const before = await deadDeliveries(raw, ledger, 'held', 1_200);
    const db = { knex: raw, dialect: 'postgres', log: quietLogger } as unknown as Db;

    // The lock a vacuum (autovacuum's, another process's) or an ANALYZE holds on the table.
    const trx = await holder.transaction();
    try {
      await trx.raw('lock table deliveries in share update exclusive mode');
      expect(await reclaimDeliveryRoom(db)).toBe(false);
    } finally {
      await trx.rollback();
    }
    expect((await stats(raw)).vacuums).toBe(before.vacuums);
  });
});
