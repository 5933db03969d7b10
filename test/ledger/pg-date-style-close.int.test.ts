/**
 * A new PostgreSQL ledger connection whose set-up failed is closed: the pool (knex over tarn)
 * does not end a connection its `afterCreate` refused, so each left open held a server
 * connection slot until the server or TCP ended it — a set-up failing again and again (a
 * statement timeout of the earlier step, a bouncer refusing the SET) used them all up.
 * Here on a real connection, the set-up made to fail at each of its two steps.
 */
import { once } from 'node:events';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { PgClient } from '../../core/pg-query-bound.js';
import { withIsoDateStyle } from '../../ledger/pg-date-style.js';
import { PG_URL } from './backends.js';

type Done = (err: Error | null, conn: unknown) => void;

const clients: pg.Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.end().catch(() => undefined);
});

/** A connected client, with how many times its `end()` was called and a promise of its close. */
async function connection(): Promise<{ conn: PgClient; ends: () => number; closed: Promise<unknown> }> {
  const client = new pg.Client({ connectionString: PG_URL });
  clients.push(client);
  await client.connect();
  const closed = once(client, 'end');
  const end = client.end.bind(client);
  let ends = 0;
  const conn = client as unknown as PgClient;
  conn.end = () => {
    ends++;
    return end();
  };
  return { conn, ends: () => ends, closed };
}

/** Runs the pool's set-up on `conn` and gives what it passed to `done`. */
function setUp(conn: PgClient, first: Parameters<typeof withIsoDateStyle>[0]): Promise<Error | null> {
  return new Promise((resolve) => withIsoDateStyle(first)(conn, (err) => resolve(err)));
}

describe('a ledger connection whose set-up failed (postgres)', () => {
  it('is closed when the SET DateStyle failed', async () => {
    const { conn, ends, closed } = await connection();
    // A transaction left aborted: the server refuses the SET that follows.
    const first = (c: PgClient, done: Done) => c.query('begin; select 1/0', () => done(null, c));
    const err = await setUp(conn, first);
    expect((err as { code?: string } | null)?.code).toBe('25P02');
    expect(ends()).toBe(1);
    await closed;
  });

  it('is closed when the step before it failed', async () => {
    const { conn, ends, closed } = await connection();
    const refused = new Error('before: refused');
    const err = await setUp(conn, (c: PgClient, done: Done) => done(refused, c));
    expect(err).toBe(refused);
    expect(ends()).toBe(1);
    await closed;
  });

  it('is not ended again when the step before it dropped it already', async () => {
    const { conn, ends, closed } = await connection();
    const refused = new Error('before: timed out');
    // As a statement past `ledger.queryTimeoutMs` does (core/pg-query-bound.ts `dropped`).
    const first = (c: PgClient, done: Done) => {
      c.__knex__disposed = refused;
      void c.end();
      done(refused, c);
    };
    const err = await setUp(conn, first);
    expect(err).toBe(refused);
    expect(ends()).toBe(1);
    await closed;
  });

  it('is handed out in the ISO style when the set-up succeeded', async () => {
    const { conn, ends } = await connection();
    expect(await setUp(conn, undefined)).toBeNull();
    const { rows } = await (conn as unknown as pg.Client).query('show datestyle');
    expect(rows[0]?.DateStyle).toMatch(/^ISO,/);
    expect(ends()).toBe(0);
  });
});
