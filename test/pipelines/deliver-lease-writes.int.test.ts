/**
 * A delivery a sender creates is written leased to it, so its claim does not write the row again:
 * each delivery row is updated once after its insert on the way to `accepted` (its outcome), not
 * twice (a lease, then the outcome). On PostgreSQL every update leaves a dead row version and new
 * index entries behind until vacuum.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, PG_URL, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { ageLeases } from '../ledger/clock-skew.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';

const SEAL = 'seal-lease';

/** Runs SQL on the test ledger beside the ledger's own connections. */
async function sql(url: string, statements: string[]): Promise<unknown[][]> {
  if (url.startsWith('sqlite://')) {
    const db = new Database(url.slice('sqlite://'.length));
    try {
      return statements.map((s) => {
        if (/^\s*select/i.test(s)) return db.prepare(s).all();
        db.exec(s);
        return [];
      });
    } finally {
      db.close();
    }
  }
  const schema = new URL(url).searchParams.get('schema') as string;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    const out: unknown[][] = [];
    for (const s of statements) out.push((await client.query(s)).rows);
    return out;
  } finally {
    await client.end();
  }
}

/** Counts every update of a delivery row from now on, in `delivery_updates`. */
async function countDeliveryUpdates(url: string): Promise<void> {
  await sql(
    url,
    url.startsWith('sqlite://')
      ? [
          'create table delivery_updates (version_id integer)',
          `create trigger deliveries_counted after update on deliveries
             begin insert into delivery_updates values (new.version_id); end`,
        ]
      : [
          'create table delivery_updates (version_id bigint)',
          `create function count_delivery_update() returns trigger language plpgsql as $$
             begin insert into delivery_updates values (new.version_id); return null; end $$`,
          `create trigger deliveries_counted after update on deliveries
             for each row execute function count_delivery_update()`,
        ],
  );
}

for (const backend of BACKENDS) {
  describe(`delivery rows a sender creates (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;
    let sim: ProvinceSimulator;
    let target: RestJsonTarget;

    const commit = signedRuns(() => ledger, 'lease', SEAL);

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
      sim = await startProvinceSimulator();
      target = new RestJsonTarget('province', restConfig(sim.url));
      await countDeliveryUpdates(db.url);
    });
    afterAll(async () => {
      await target?.close();
      await sim?.close();
      await ledger?.close();
      await db?.dispose();
    });

    it('writes each delivery once after its insert on its way to accepted', async () => {
      const ids = await commit([1, 2, 3].map((n) => candidate({ n, pipeline: 'lease' })));
      expect(await deliverVersions(target, SEAL, ledger, ids)).toMatchObject({ accepted: 3 });
      const [updates] = await sql(db.url, [
        `select version_id, count(*) as n from delivery_updates where version_id in (${ids.join(', ')})
          group by version_id order by version_id`,
      ]);
      expect((updates as { version_id: unknown; n: unknown }[]).map((r) => Number(r.n))).toEqual([1, 1, 1]);
      expect(sim.stats().received).toBe(3);
    });

    it('leaves no lease on a delivery it created and held back: the next sender sends it at once', async () => {
      const [v1] = await commit([candidate({ n: 11, pipeline: 'lease' })]);
      const [v2] = await commit([candidate({ n: 11, pipeline: 'lease', status: 'revoked' })]);
      // v2 waits for v1, which no delivery has yet: its row is created, leased, and let go.
      expect(await deliverVersions(target, SEAL, ledger, [v2 as number])).toMatchObject({ waiting: 1 });
      const both = await deliverVersions(target, SEAL, ledger, [v1 as number, v2 as number]);
      expect(both).toMatchObject({ accepted: 2, waiting: 0 });
    });

    it('lets another owner claim none of the rows a sender created, and that sender all of them', async () => {
      const ids = await commit([21, 22].map((n) => candidate({ n, pipeline: 'lease' })));
      const rows = await ledger.ensureDeliveries(ids, 'city', { owner: 'sender-a', leaseMs: 60_000 });
      const keys = rows.map((r) => r.key);
      expect(await ledger.claimDeliveries(keys, 'sender-b', 60_000)).toEqual([]);
      expect((await ledger.claimDeliveries(keys, 'sender-a', 60_000)).sort()).toEqual([...keys].sort());
      // Created again by another sender: the rows are there already, and stay leased to the first.
      await ledger.ensureDeliveries(ids, 'city', { owner: 'sender-b', leaseMs: 60_000 });
      expect(await ledger.claimDeliveries(keys, 'sender-b', 60_000)).toEqual([]);
      await ledger.releaseDeliveries(keys, 'sender-a');
      expect((await ledger.claimDeliveries(keys, 'sender-b', 60_000)).sort()).toEqual([...keys].sort());
    });

    // SQLite alone has a file write lock another process holds: registered for it only, not
    // reported skipped on PostgreSQL.
    if (backend.name === 'sqlite')
      it("claims the rows it holds for the whole lease while another process holds the file's write lock", async () => {
        const ids = await commit([41, 42].map((n) => candidate({ n, pipeline: 'lease' })));
        const rows = await ledger.ensureDeliveries(ids, 'city', { owner: 'sender-e', leaseMs: 60_000 });
        const keys = rows.map((r) => r.key);
        // Another process's writer, and a ledger that waits for it little and retries little: a
        // claim taking a write transaction fails, one that finds its rows held writes nothing.
        const short = await openLedger(db.url, {
          logger: quietLogger,
          busyTimeoutMs: 20,
          retryBudgetMs: 100,
        });
        const writer = new Database(db.url.slice('sqlite://'.length));
        try {
          writer.exec('begin immediate');
          expect((await short.claimDeliveries(keys, 'sender-e', 60_000)).sort()).toEqual([...keys].sort());
          // A lease to lengthen (or to take) still waits for the lock: the claim is a write then.
          await expect(short.claimDeliveries(keys, 'sender-e', 120_000)).rejects.toThrow(/busy|locked/i);
        } finally {
          writer.exec('rollback');
          writer.close();
          await short.close();
        }
        expect((await ledger.claimDeliveries(keys, 'sender-e', 120_000)).sort()).toEqual([...keys].sort());
      });

    it('renews a lease its owner holds with less than the asked length left', async () => {
      const ids = await commit([31].map((n) => candidate({ n, pipeline: 'lease' })));
      const [row] = await ledger.ensureDeliveries(ids, 'city', { owner: 'sender-c', leaseMs: 1_000 });
      const key = row?.key as string;
      // Asked for a lease of 60 s, the 1 s one is short: it is written again.
      expect(await ledger.claimDeliveries([key], 'sender-c', 60_000)).toEqual([key]);
      const [after] = await sql(db.url, [
        `select count(*) as n from delivery_updates where version_id = ${ids[0]}`,
      ]);
      expect(Number((after as { n: unknown }[])[0]?.n)).toBe(1);
      // Past the 1 s lease and the half of it a created row is given on top (newRowLeaseMs), by the
      // ledger's clock (the lease's end moved back in the database instead of waited out)…
      expect(await ageLeases(db.url, 'deliveries', 1_600, (q) => q.where('version_id', ids[0]))).toBe(1);
      // …still held: the renewed lease runs for 60 s, so another owner gets nothing.
      expect(await ledger.claimDeliveries([key], 'sender-d', 60_000)).toEqual([]);
    });
  });
}
