/**
 * A write whose COMMIT never reached the server leaves its session idle in the transaction; the
 * next try ends it, found by its transaction id, process id and the server's start time, read as
 * text and cast back (ledger/db.ts `endAbandoned`). In the SQL, German and Postgres DateStyles the
 * text names the zone by its abbreviation, which the server reads back as another zone
 * (Asia/Shanghai's `CST` as US Central time): the start time never matched, the session was never
 * ended, and the write failed once its retry budget was spent, its row held until TCP gave up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { outcomeWithin } from '../support/silent-proxy.js';
import { PG_URL, quietLogger } from './backends.js';
import { type DateStyleRole, dateStyleRole } from './date-style-role.js';
import { uniqueName } from './fixtures.js';
import { type PgSilencer, startPgSilencer, throughSilencer } from './pg-silencer.js';

/** Far past what a write settled so takes here, far short of what a hung one waits. */
const HUNG_MS = 40_000;

describe("a ledger write whose COMMIT is lost, where the role's DateStyle is SQL (postgres)", () => {
  let role: DateStyleRole;
  let silencer: PgSilencer;
  let ledger: Ledger;

  beforeAll(async () => {
    role = await dateStyleRole('SQL, DMY');
    silencer = await startPgSilencer(new URL(PG_URL));
    ledger = await openLedger(throughSilencer(role.url, silencer), {
      logger: quietLogger,
      retryBudgetMs: 10_000,
      queryTimeoutMs: 1000,
    });
  });
  afterAll(async () => {
    // Each whatever the one before did, and only what beforeAll got to: a role and a schema left
    // stay on the shared server.
    try {
      if (ledger) await outcomeWithin(HUNG_MS, ledger.close());
    } finally {
      try {
        await silencer?.close();
      } finally {
        await role?.drop();
      }
    }
  });

  it('ends the session the lost COMMIT left, and writes once', async () => {
    const runId = uniqueName('run');
    const silencedBefore = silencer.silenced;
    // A simple query ('Q') whose text is COMMIT, as knex ends a transaction.
    silencer.arm(/^Q[\s\S]{4}COMMIT;?\0$/, 'dropped');
    const started = await outcomeWithin(
      HUNG_MS,
      ledger.startRun({ runId, pipeline: uniqueName('datestyle'), mode: 'full' }),
    );
    expect(silencer.silenced).toBe(silencedBefore + 1);
    // Nothing: neither the write's error nor `hung`.
    expect(started).toBeUndefined();
    const { rows } = await role.admin.query(`select state from ${role.schema}.runs where run_id = $1`, [
      runId,
    ]);
    expect(rows).toEqual([{ state: 'running' }]);
  }, 60_000);
});
