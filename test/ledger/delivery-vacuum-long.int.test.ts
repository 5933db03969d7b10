/**
 * A claim's vacuum of `deliveries` (ledger/delivery-vacuum.ts) ran as any ledger statement, bound
 * by `ledger.queryTimeoutMs`: on a big ledger a vacuum outlasting it was abandoned, its connection
 * dropped and "deliveries not vacuumed" warned, while the claim waited out the whole timeout; on a
 * server that ends the work of clients gone (`client_connection_check_interval`) the vacuum itself
 * was cancelled, and again at the next look, so the table was never vacuumed. The vacuum now runs
 * beside the claim, on a connection of its own with no statement timeout, and completes.
 *
 * The vacuum is made to outlast the timeout by the server's own cost-based delay (a sleep each
 * page), given to the ledger's connections alone; its timeout is a second.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { lineLogger } from '../support/log-lines.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { newVersions, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

async function stats(raw: Knex): Promise<{ dead: number; vacuums: number }> {
  const res: { rows: { dead: string; vacuums: string }[] } = await raw.raw(
    `select n_dead_tup as dead, vacuum_count as vacuums
       from pg_stat_user_tables where schemaname = current_schema() and relname = 'deliveries'`,
  );
  return { dead: Number(res.rows[0]?.dead ?? 0), vacuums: Number(res.rows[0]?.vacuums ?? 0) };
}

/** The statistics once `done` holds of them, or as they are after `ms`. */
async function statsOnce(raw: Knex, done: (s: { dead: number; vacuums: number }) => boolean, ms: number) {
  const until = Date.now() + ms;
  let seen = await stats(raw);
  while (!done(seen) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    seen = await stats(raw);
  }
  return seen;
}

/**
 * A database whose `deliveries` hold 1,200 dead row versions and one open delivery, autovacuum off
 * on it: its statistics and the open delivery's key.
 */
async function deadDeliveries(database: TestDatabase, raw: Knex) {
  const writer = await openLedger(database.url, { logger: quietLogger });
  await raw.raw('alter table deliveries set (autovacuum_enabled = false)');
  const pipeline = uniqueName('vac');
  for (let i = 1; i <= 1_200; i += 400) {
    const ids = await newVersions(writer, pipeline, i, 400);
    const rows = await writer.ensureDeliveries(ids, 'province');
    await writer.recordDeliveryOutcomes(
      rows.map((d, n) => ({ key: d.key, state: 'accepted' as const, platformId: `PV-${i + n}` })),
    );
  }
  const [id] = await newVersions(writer, pipeline, 5_000, 1);
  const [open] = await writer.ensureDeliveries([id as number], 'province');
  // Closed, the writer hands its counts to the statistics.
  await writer.close();
  const before = await statsOnce(raw, (s) => s.dead >= 1_200, 20_000);
  expect(before.dead).toBeGreaterThanOrEqual(1_200);
  return { before, key: open?.key as string };
}

/**
 * A ledger on `database` whose vacuum outlasts its `queryTimeoutMs` of three seconds: each page the
 * vacuum reads costs more than the limit, and it sleeps 60 ms or more a page, ~5 s in all on an idle
 * machine. The server ends the work of a client gone, as `client_connection_check_interval` has it
 * do. With a one-second limit and 20 ms a page, the claim's own look at the table's statistics
 * outran the limit once on a loaded machine (the suite's CI run at 157c4abe), and no vacuum began.
 */
async function slowLedger(database: TestDatabase) {
  const url = new URL(database.url);
  // Its connections are named, so that a look at the server's sessions sees this ledger's alone:
  // other ledgers on the server may vacuum their own `deliveries` meanwhile.
  const name = uniqueName('slow-vacuum');
  url.searchParams.set(
    'options',
    `-c vacuum_cost_delay=60 -c vacuum_cost_limit=1 -c client_connection_check_interval=100 -c application_name=${name}`,
  );
  const { logger, lines } = lineLogger('debug');
  return { ledger: await openLedger(url.toString(), { logger, queryTimeoutMs: 3_000 }), lines, name };
}

describe('a vacuum of deliveries that outlasts ledger.queryTimeoutMs (postgres)', () => {
  let database: TestDatabase;
  let raw: Knex;
  let slow: Ledger | undefined;

  beforeAll(async () => {
    database = await postgresBackend.create();
    raw = rawKnex(database.url);
  });
  afterAll(async () => {
    await slow?.close();
    await raw?.destroy();
    await database?.dispose();
  });

  it('runs to its end beside the claim, warning nothing', async () => {
    const { before, key } = await deadDeliveries(database, raw);
    const { ledger, lines } = await slowLedger(database);
    slow = ledger;
    expect(await ledger.claimDeliveries([key], 'sender-1', 60_000)).toEqual([key]);
    const after = await statsOnce(raw, (s) => s.vacuums > before.vacuums, 60_000);
    // The server counts a vacuum before its answer reaches the ledger, which logs only then (the
    // suite's CI run at 2efffcaa looked between the two): the line is waited for, up to 20 s.
    const logged = () =>
      lines.some((l) => l.includes('deliveries vacuumed') || l.includes('deliveries not vacuumed'));
    for (const until = Date.now() + 20_000; !logged() && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    // A vacuum is counted once it has run to its end; one cancelled is not. How many dead row
    // versions it could free depends on the oldest snapshot of the whole database, which other
    // work on the server may hold (1,201 were left once, the suite running beside it). Asserted
    // together, so that a vacuum that did not run shows the warning that says why.
    expect({
      vacuums: after.vacuums - before.vacuums,
      warnings: lines.filter((l) => l.includes('deliveries not vacuumed')),
    }).toEqual({ vacuums: 1, warnings: [] });
    expect(lines.some((l) => l.includes('deliveries vacuumed'))).toBe(true);
  }, 120_000);
});

describe('a ledger closed while its vacuum of deliveries runs (postgres)', () => {
  let database: TestDatabase;
  let raw: Knex;

  beforeAll(async () => {
    database = await postgresBackend.create();
    raw = rawKnex(database.url);
  });
  afterAll(async () => {
    await raw?.destroy();
    await database?.dispose();
  });

  it('stops the vacuum instead of waiting for its end, and warns nothing', async () => {
    const { before, key } = await deadDeliveries(database, raw);
    const { ledger, lines, name } = await slowLedger(database);
    expect(await ledger.claimDeliveries([key], 'sender-1', 60_000)).toEqual([key]);
    await ledger.close();
    const running: { rows: unknown[] } = await raw.raw(
      "select 1 from pg_stat_activity where query like 'vacuum (skip_locked%' and application_name = ?",
      [name],
    );
    expect(running.rows).toEqual([]);
    expect((await stats(raw)).vacuums).toBe(before.vacuums);
    expect(lines.filter((l) => l.includes('deliveries not vacuumed'))).toEqual([]);
  }, 90_000);
});
