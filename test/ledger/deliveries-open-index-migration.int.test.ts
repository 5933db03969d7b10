/**
 * Migration 033 on a ledger written before it, on both backends: on PostgreSQL the deliveries'
 * two state indexes give way to `deliveries_open_idx`, which holds no `accepted` row and which the
 * planner takes for the dead-letter and overdue lookups; on SQLite nothing changes. Either way
 * every delivery, dead letter and overdue count reads back as it was written.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { DeadLetter, Ledger, OverdueDeliveries, StoredDelivery } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';
import { queryPlan, rawKnex } from './raw-knex.js';

const OLD = ['deliveries_state_created_idx', 'deliveries_target_state_idx'];
const OPEN = 'deliveries_open_idx';
/** 033 and every migration after it, newest first: undone in this order, they give the schema before 033. */
const SINCE_033 = MIGRATIONS.slice(
  MIGRATIONS.findIndex((m) => m.name === '033-deliveries-open-index'),
).reverse();
/**
 * Indexes of `deliveries` a migration after 033 adds: the upgrade below makes them too (on SQLite,
 * 059 makes the open index PostgreSQL has from 033).
 */
const ADDED_SINCE = ['deliveries_held_duplicates_idx', 'deliveries_open_idx'];
/** The indexes of `deliveries` but those {@link ADDED_SINCE}. */
const without = (indexes: Map<string, string>): Map<string, string> =>
  new Map([...indexes].filter(([name]) => !ADDED_SINCE.includes(name)));
const LATER = new Date(Date.now() + 86_400_000);

async function deliveryIndexes(k: Knex, url: string): Promise<Map<string, string>> {
  if (url.startsWith('sqlite://')) {
    const rows: { name: string; sql: string | null }[] = await k.raw(
      "select name, sql from sqlite_master where type = 'index' and tbl_name = 'deliveries'",
    );
    return new Map(rows.map((r) => [r.name, r.sql ?? '']));
  }
  const res: { rows: { indexname: string; indexdef: string }[] } = await k.raw(
    "select indexname, indexdef from pg_indexes where schemaname = current_schema() and tablename = 'deliveries'",
  );
  return new Map(res.rows.map((r) => [r.indexname, r.indexdef]));
}

/**
 * The plan PostgreSQL picks for `sql` when a sequential scan is the last resort, once it names
 * `OPEN` or after 20 s. An index built on a table whose rows were updated in place (HOT) is marked
 * `indcheckxmin`: no snapshot older than its building transaction may use it, and transactions
 * other test files hold open meanwhile (one xid space for the whole server) keep snapshots that
 * old for a while; the planner then plans without the index.
 */
async function indexPlan(k: Knex, sql: string, bindings: readonly string[]): Promise<string> {
  const plan = () => queryPlan(k, k.raw(sql, [...bindings]), false);
  const until = Date.now() + 20_000;
  let text = await plan();
  while (!text.includes(OPEN) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    text = await plan();
  }
  return text;
}

describe.each(BACKENDS)('migration 033, deliveries by open state ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const pipeline = uniqueName('m033');
  let written: {
    deliveries: StoredDelivery[];
    dead: DeadLetter[];
    overdue: OverdueDeliveries[];
    indexes: Map<string, string>;
  };

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 4,
      candidates: candidates(1, 4, { pipeline, runId }),
      quarantined: [],
    });
    const ids = result.created.map((c) => c.versionId);
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-m033')));
    const keys = (await ledger.ensureDeliveries(ids, 'province')).map((d) => d.key);
    // One row in each state the lookups tell apart; the third stays pending.
    await ledger.recordDeliveryOutcomes([
      { key: keys[0] as string, state: 'accepted', platformId: 'PV-1', receipt: { batchId: 'b1' } },
      { key: keys[1] as string, state: 'dead', reasons: ['rejected: 证照类型代码不存在'] },
      { key: keys[3] as string, state: 'submitted', platformId: 'PV-4' },
    ]);
    written = {
      deliveries: await ledger.getDeliveries(keys),
      dead: await ledger.listDeadLetters(),
      overdue: await ledger.overdueDeliveries('province', LATER),
      indexes: new Map(),
    };
    await ledger.close();

    // Back to the schema before 033, as a ledger written by the previous release holds it.
    raw = rawKnex(database.url);
    for (const m of SINCE_033) {
      await m.down(raw);
      await raw('ledger_migrations').where({ name: m.name }).delete();
    }
    written.indexes = await deliveryIndexes(raw, database.url);
    // The upgrade: opening the ledger runs them again.
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('starts from the previous form: both state indexes there, no open index', () => {
    expect([...written.indexes.keys()]).toEqual(expect.arrayContaining(OLD));
    expect(written.indexes.has(OPEN)).toBe(false);
    expect(written.deliveries.map((d) => d.state)).toEqual(['accepted', 'dead', 'pending', 'submitted']);
  });

  it('reads every delivery, dead letter and overdue count back as it was written', async () => {
    expect(await ledger.getDeliveries(written.deliveries.map((d) => d.key))).toEqual(written.deliveries);
    expect(await ledger.listDeadLetters()).toEqual(written.dead);
    expect(written.dead.map((d) => d.key)).toEqual([written.deliveries[1]?.key]);
    expect(await ledger.overdueDeliveries('province', LATER)).toEqual(written.overdue);
    expect(written.overdue).toEqual([expect.objectContaining({ pipeline, target: 'province', count: 2 })]);
  });

  if (backend.name === 'sqlite') {
    it('leaves the SQLite indexes as they were', async () => {
      expect(without(await deliveryIndexes(raw, database.url))).toEqual(written.indexes);
    });
    return;
  }

  it('replaces the state indexes with one that leaves accepted rows out', async () => {
    const now = await deliveryIndexes(raw, database.url);
    for (const name of OLD) expect(now.has(name)).toBe(false);
    expect(now.get(OPEN)).toMatch(/\(target, state, created_at\) WHERE \(state <> 'accepted'::text\)$/);
  });

  it('serves the dead-letter and overdue lookups from the open index', async () => {
    const dead = await indexPlan(raw, 'select version_id, target from deliveries where state = ?', ['dead']);
    expect(dead).toContain(OPEN);
    const deadAt = await indexPlan(raw, 'select version_id from deliveries where state = ? and target = ?', [
      'dead',
      'province',
    ]);
    expect(deadAt).toContain(OPEN);
    const overdue = await indexPlan(
      raw,
      'select count(*) from deliveries where target = ? and state in (?, ?) and created_at < now()',
      ['province', 'pending', 'submitted'],
    );
    expect(overdue).toContain(OPEN);
  });

  it('goes down to both state indexes and up again', async () => {
    const m = SINCE_033.at(-1);
    await m?.down(raw);
    expect([...without(await deliveryIndexes(raw, database.url)).keys()].sort()).toEqual(
      [...written.indexes.keys()].sort(),
    );
    await m?.up(raw);
    expect((await deliveryIndexes(raw, database.url)).has(OPEN)).toBe(true);
  });
});
