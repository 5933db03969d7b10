/**
 * A claim (ledger/leases.ts) reads the ledger's clock in each of its two statements: the select of
 * the leases its owner keeps, and the update that takes or renews the rest. A lease of the owner's
 * ending between the two statements' `until` is long enough for the first and short for the
 * second: kept and renewed both. The claim names such a row once, where it named it twice and a
 * sender would send the delivery twice in one batch. The clock here is a sequence, so each
 * statement's `until` is one second later than the one before it, whatever the host's speed.
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimLeases } from '../../ledger/leases.js';
import { PG_URL } from './backends.js';

const BASE = "timestamptz '2030-01-01 00:00:00+00'";

describe('a claim whose two statements read the clock either side of a lease (postgres)', () => {
  const schema = `lb_${randomBytes(6).toString('hex')}`;
  let k: Knex;

  beforeAll(async () => {
    k = knexFactory({ client: 'pg', connection: PG_URL, searchPath: [schema], pool: { min: 0, max: 1 } });
    await k.raw(`create schema "${schema}"`);
    await k.raw(`create table leased (id int primary key, state text not null, claim_owner text,
                   claimed_until timestamptz)`);
    await k.raw('create sequence tick');
    // The owner's lease ends at BASE + 1.5 s: at least the lease by the first statement's `until`
    // (BASE + 1 s), less by the second's (BASE + 2 s).
    await k.raw(`insert into leased values (1, 'pending', 'a', ${BASE} + interval '1.5 seconds')`);
  });
  afterAll(async () => {
    await k?.raw(`drop schema if exists "${schema}" cascade`);
    await k?.destroy();
  });

  it('names the row once, renewed', async () => {
    const rows = await k.transaction((trx) =>
      claimLeases<{ id: number }>(
        trx,
        { table: 'leased', key: ['id'], open: ['pending'], state: 'state', scope: (q) => q.where('id', 1) },
        'a',
        trx.raw(BASE),
        trx.raw(`${BASE} + nextval('tick') * interval '1 second'`),
      ),
    );
    expect(rows).toEqual([{ id: 1 }]);
    const renewed = await k.raw(
      `select claimed_until > ${BASE} + interval '1.5 seconds' as longer from leased`,
    );
    expect(renewed.rows).toEqual([{ longer: true }]);
  });
});
