/**
 * A PostgreSQL ledger in a schema of its own, opened by a role that owns that schema and nothing
 * more (no right to create schemas in the database), as a least-privilege deployment sets it up.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { PG_URL, quietLogger } from './backends.js';

describe('a ledger role that owns only its schema (postgres)', () => {
  const suffix = randomBytes(6).toString('hex');
  const role = `lb_role_${suffix}`;
  const schema = `lb_${suffix}`;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    // A new role has no CREATE on the database (PostgreSQL grants PUBLIC only CONNECT and TEMP).
    await admin.query(`create role ${role} login`);
    await admin.query(`create schema ${schema} authorization ${role}`);
  });
  afterAll(async () => {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.query(`drop role if exists ${role}`);
    await admin.end();
  });

  it('opens and migrates the ledger in that schema', async () => {
    const url = new URL(PG_URL);
    url.username = role;
    url.searchParams.set('schema', schema);
    const ledger = await openLedger(url.toString(), { logger: quietLogger });
    try {
      await ledger.startRun({ runId: 'r1', pipeline: 'p', mode: 'full' });
      expect((await ledger.getRun('r1'))?.state).toBe('running');
    } finally {
      await ledger.close();
    }
    const tables = await admin.query(
      'select count(*)::int as n from pg_tables where schemaname = $1 and tablename = $2',
      [schema, 'runs'],
    );
    expect(tables.rows).toEqual([{ n: 1 }]);
  });
});
