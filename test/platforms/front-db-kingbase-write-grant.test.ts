/**
 * `config check --connect` on a KingbaseES front database: the check of the sequences a column's
 * default takes values of reads the catalog by the names the database answers to
 * (adapters/platforms/front-db/kingbase-names.ts): KingbaseES's documented `sys_*` (`sys_attrdef`,
 * `sys_depend`, `sys_class`), or PostgreSQL's `pg_*` where those do not resolve. No KingbaseES
 * server runs in the tests: knex's PostgreSQL client (KingbaseES's driver) runs against a stand-in
 * that answers as a login granted every privilege, and the statements it was sent are read.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { checkWriteGrant } from '../../adapters/platforms/front-db/write-grant.js';

interface Compiled {
  sql: string;
  response?: unknown;
}

/** knex's PostgreSQL client whose statements are recorded and answered: every privilege granted. */
function standIn() {
  const k = knexModule({ client: 'pg' });
  const seen: string[] = [];
  const client = k.client as unknown as Record<string, unknown>;
  client.acquireConnection = async () => ({});
  client.releaseConnection = async () => {};
  client._query = async (_connection: unknown, q: Compiled) => {
    seen.push(q.sql);
    q.response = { rows: /has_table_privilege/.test(q.sql) ? [{ insert: true, delete: true }] : [] };
    return q;
  };
  return { k, seen };
}

const check = (catalog: 'sys_' | 'pg_') => ({
  target: 'city',
  catalog,
  table: 'UP_LIC_DATA',
  deletesRefused: true,
  style: 'ignore' as const,
  deadline: { remainingMs: () => 5_000, cancel: false },
});

describe('config check --connect on KingbaseES: the sequences a default takes values of', () => {
  it('reads the sys_* catalog where the database answers to it, naming no pg_* table', async () => {
    const { k, seen } = standIn();
    await checkWriteGrant(k, check('sys_'));
    const sequences = seen.find((sql) => /attrdef/.test(sql));
    expect(sequences).toMatch(/from sys_attrdef ad/);
    expect(sequences).toContain(`'sys_attrdef'::regclass`);
    expect(sequences).not.toMatch(/\bpg_(attrdef|attribute|depend|class)\b/);
  });

  it("reads PostgreSQL's pg_* catalog otherwise, as before", async () => {
    const { k, seen } = standIn();
    await checkWriteGrant(k, check('pg_'));
    expect(seen.find((sql) => /attrdef/.test(sql))).toMatch(/from pg_attrdef ad/);
  });
});
