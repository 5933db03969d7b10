/**
 * A sender's claim of deliveries it already holds (ledger/delivery-claims.ts `heldWhole`) reads
 * the wave's versions and deliveries through their keys, also on a `deliveries` table small and not
 * yet analyzed, as early in a run (it grows by a page's rows at a time, analyzed well after): the
 * sender's leases are then a few rows to the planner. PostgreSQL read them first (hashed by
 * target, one for all, against the wave's keys; or the table once per key) and probed the versions
 * once per pair of key and delivery: 235,000 probes and ~0.9 s of the server's CPU for a wave of
 * 485, twice a page (bench/pipeline.ts, PostgreSQL ledger, 20,000 rows), on the cores the signer
 * needs. Fails at 624f4422: 250,000 versions read.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../ledger/db.js';
import { claimDeliveries } from '../../ledger/delivery-claims.js';
import { deliveryKey } from '../../ledger/rows.js';
import { BACKENDS, type TestDatabase } from './backends.js';
import { largeLedger, planProbe, recordingDb, type Statement } from './plan-harness.js';

const SEED = 500;
const COPIES = 20;
/** The wave a sender holds: the newest deliveries. */
const WAVE = 500;
const OWNER = 'sender-a';
/** Each watched table and the first column of the key a statement about named rows finds them by. */
const KEY: Record<string, string> = { deliveries: 'version_id', license_versions: 'license_id' };

for (const backend of BACKENDS) {
  describe(`a claim of deliveries the sender holds, statistics behind (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let database: TestDatabase;
    let k: Knex;
    let db: Db;
    let keys: string[] = [];
    const seen: Statement[] = [];
    let probe: ReturnType<typeof planProbe>;

    beforeAll(async () => {
      ({ database, k } = await largeLedger(backend, { seed: SEED, copies: COPIES }));
      const at = pg ? 'now()' : "'2026-01-01T00:00:00.000Z'";
      // As early in a run, before autovacuum has come round: never analyzed, whatever the server's setting.
      if (pg) await k.raw('alter table deliveries set (autovacuum_enabled = false)');
      // The run's first pages: their versions delivered and the leases let go, in a ledger of other
      // pipelines' versions; the deliveries table small.
      await k.raw(
        `insert into deliveries (version_id, target, state, attempts, reasons, created_at, updated_at)
         select version_id, 'province', 'accepted', 1, '[]', ${at}, ${at}
           from license_versions order by version_id desc limit ${2 * WAVE}`,
      );
      // Then the newest wave leased to the sender.
      const until = pg ? "now() + interval '1 hour'" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 hour')";
      await k.raw(
        `update deliveries set state = 'pending', claim_owner = ?, claimed_until = ${until}
          where version_id in (select version_id from license_versions order by version_id desc limit ${WAVE})`,
        [OWNER],
      );
      const wave: { license_id: string; version: unknown }[] = await k('license_versions')
        .orderBy('version_id', 'desc')
        .limit(WAVE)
        .select('license_id', 'version');
      keys = wave.map((r) => deliveryKey(r.license_id, Number(r.version), 'province'));
      db = recordingDb(k, backend.name, seen);
      probe = planProbe(k, pg, seen, KEY);
    }, 180_000);

    afterAll(async () => {
      await k?.destroy();
      await database?.dispose();
    });

    it('finds the wave held whole, reading its versions and deliveries through their keys', async () => {
      let claimed: string[] = [];
      const plans = await probe.plansOf(async () => {
        claimed = await claimDeliveries(db, keys, OWNER, 60_000);
      });
      expect(claimed).toHaveLength(WAVE);
      // Held whole: one read, no write transaction.
      expect(seen.some((s) => /^\s*update\b/i.test(s.sql))).toBe(false);
      probe.expectIndexed(plans, 2 * WAVE);
    });
  });
}
