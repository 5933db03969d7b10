/**
 * A write's next try ends the session its earlier try left idle in its transaction (ledger/db.ts
 * `endAbandoned`), found by the transaction's id. A standby promoted before the old primary's last
 * WAL reached it hands those ids out again, so the id alone may name another process's live
 * transaction: only the session that ran the try, on the server that ran it, is ended.
 */
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endAbandoned, type PgTry } from '../../ledger/db.js';
import { PG_URL } from './backends.js';

describe("ending an abandoned try's session (postgres)", () => {
  let k: Knex;
  const clients: pg.Client[] = [];

  beforeAll(() => {
    k = knex({ client: 'pg', connection: PG_URL, pool: { min: 0, max: 1 } });
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await k?.destroy();
  });

  /** A session of another process, idle in its transaction between two statements. */
  async function liveTransaction(): Promise<{ client: pg.Client; tx: PgTry }> {
    const client = new pg.Client({ connectionString: PG_URL });
    client.on('error', () => undefined);
    clients.push(client);
    await client.connect();
    await client.query('begin');
    const { rows } = await client.query<PgTry>(
      'select txid_current()::text as xid, pg_backend_pid() as pid, pg_postmaster_start_time()::text as server',
    );
    return { client, tx: rows[0] as PgTry };
  }

  const alive = (c: pg.Client) =>
    c.query('select 1').then(
      () => true,
      () => false,
    );

  it("leaves a session whose transaction id is the try's but ran on another server or in another session", async () => {
    const other = await liveTransaction();
    // The try's id, met again on a promoted standby (another start time), in a session with another pid.
    await endAbandoned(k, [{ ...other.tx, server: '2000-01-01 00:00:00+00' }]);
    await endAbandoned(k, [{ ...other.tx, pid: other.tx.pid + 1 }]);
    expect(await alive(other.client)).toBe(true);

    // The try's own session is ended (the check above did not pass for a query that ends nothing).
    const own = await liveTransaction();
    await endAbandoned(k, [{ ...other.tx, pid: other.tx.pid + 1 }, own.tx]);
    expect(await alive(own.client)).toBe(false);
    expect(await alive(other.client)).toBe(true);
  });
});
