/**
 * Reads a sender, a replay or a repair makes once per wave of rows it names — the dead letters a
 * replay or a discard names (ledger/dead-letters.ts listDeadLetters by keys), the duplicates a
 * repair's page names (ledger/reconcile-duplicates.ts find), and a deliver wave's versions and
 * signatures (pipelines/stages/deliver.ts buildItems: getVersions, getSignatures) — reach the rows
 * they name through the table's key and read about as many as they name, on a ledger of 100,500
 * deliveries with fresh statistics: a tenth dead letters, a tenth open, a tenth answered as
 * duplicates (each twenty times a wave).
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../ledger/db.js';
import { listDeadLetters } from '../../ledger/dead-letters.js';
import { repairDuplicates } from '../../ledger/reconcile-duplicates.js';
import { deliveryKey } from '../../ledger/rows.js';
import { getSignatures } from '../../ledger/signatures.js';
import { getVersions } from '../../ledger/versions.js';
import { BACKENDS, type TestDatabase } from './backends.js';
import { analyzeOwnTables, planProbe, recordingDb, type Statement } from './plan-harness.js';
import { COPIES, SEED, signedLargeLedger } from './signed-large-ledger.js';

/** A deliver wave, and a replay's dead letters: this many rows, the newest of their kind. */
const WAVE = 500;
/**
 * A repair's re-deliveries: it names every license the platform shows in an older version, which
 * may be more than a wave (PostgreSQL read all 100,500 deliveries by an `IN` list of 1,000 ids).
 */
const REPAIRED = 1_000;
/**
 * Each table a wave's statements read, and the columns it is named by: the versions by id, or by
 * license and version (a key resolved, delivery-keys.ts); SQLite names their key `rowid`.
 */
const TABLES = {
  deliveries: 'version_id',
  license_versions: 'version_id|license_id|rowid',
  signatures: 'version_id',
};

for (const backend of BACKENDS) {
  describe(`a wave's reads on a large ledger (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let database: TestDatabase;
    let k: Knex;
    let db: Db;
    const seen: Statement[] = [];
    let probe: ReturnType<typeof planProbe>;
    /** The keys of the newest dead, open and duplicate-answered deliveries, and their version ids. */
    const waves: Record<string, { keys: string[]; ids: number[] }> = {};

    beforeAll(async () => {
      ({ database, k } = await signedLargeLedger(backend));
      const at = pg ? 'now()' : "'2026-01-01T00:00:00.000Z'";
      await k.raw(
        `insert into deliveries (version_id, target, state, attempts, reasons, created_at, updated_at, duplicate_at, duplicate_repair)
         select version_id, 'province',
                case version_id % 10 when 0 then 'dead' when 5 then 'pending' else 'accepted' end,
                0, '[]', ${at}, ${at},
                case when version_id % 10 = 3 then ${at} end,
                case when version_id % 100 = 3 then 'repair-run' end
           from license_versions order by version_id`,
      );
      await analyzeOwnTables(k, pg);
      const count = async (table: string) =>
        Number(((await k(table).count({ n: '*' })) as { n: unknown }[])[0]?.n);
      expect(await count('deliveries')).toBe(SEED * (COPIES + 1));
      expect(await count('signatures')).toBe(SEED * (COPIES + 1));
      for (const [name, residue, size] of [
        ['dead', 0, WAVE],
        ['pending', 5, WAVE],
        ['duplicate', 3, REPAIRED],
      ] as const) {
        const rows: { version_id: unknown; license_id: string; version: unknown }[] = await k(
          'deliveries as d',
        )
          .join('license_versions as v', 'v.version_id', 'd.version_id')
          .whereRaw(`d.version_id % 10 = ${residue}`)
          .orderBy('d.version_id', 'desc')
          .limit(size)
          .select('d.version_id', 'v.license_id', 'v.version');
        waves[name] = {
          keys: rows.map((r) => deliveryKey(r.license_id, Number(r.version), 'province')),
          ids: rows.map((r) => Number(r.version_id)),
        };
      }
      db = recordingDb(k, backend.name, seen);
      probe = planProbe(k, pg, seen, TABLES);
    }, 240_000);

    afterAll(async () => {
      await k?.destroy();
      await database?.dispose();
    });

    it('reads the dead letters a replay names through their key', async () => {
      let read: unknown[] = [];
      const plans = await probe.plansOf(async () => {
        read = await listDeadLetters(db, { keys: waves.dead?.keys ?? [] });
      });
      expect(read).toHaveLength(WAVE);
      probe.expectIndexed(plans, 2 * WAVE);
    });

    it('reads the duplicates a repair names through their key', async () => {
      let found: { heldBy: string | null }[] = [];
      const plans = await probe.plansOf(async () => {
        found = await repairDuplicates(db).find(waves.duplicate?.keys ?? []);
      });
      expect(found).toHaveLength(REPAIRED);
      // Of these, one in ten is held back (`duplicate_repair`) as well as answered.
      expect(found.filter((d) => d.heldBy !== null)).toHaveLength(REPAIRED / 10);
      probe.expectIndexed(plans, 2 * REPAIRED);
    });

    it("reads a deliver wave's versions and signatures through their key", async () => {
      const ids = waves.pending?.ids ?? [];
      let versions: unknown[] = [];
      const vPlans = await probe.plansOf(async () => {
        versions = await getVersions(db, ids);
      });
      expect(versions).toHaveLength(WAVE);
      let signatures: unknown[] = [];
      const sPlans = await probe.plansOf(async () => {
        signatures = await getSignatures(db, ids);
      });
      expect(signatures).toHaveLength(WAVE);
      probe.expectIndexed(vPlans, 2 * WAVE);
      probe.expectIndexed(sPlans, 2 * WAVE);
    });
  });
}
