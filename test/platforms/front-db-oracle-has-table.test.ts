/**
 * `createTable` on Oracle with a schema-qualified table (`qzk.UP_LIC_DATA`): the table is looked for
 * in that schema (on DM too, whose SQL knex writes as Oracle's). knex's own lookup reads USER_TABLES whatever the schema, so a table made in
 * another schema was never found and each later open failed making it again. No Oracle server
 * runs in the tests: knex's Oracle client runs against a stand-in that answers from a catalog.
 */
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { hasExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { dmKnexClient } from '../../connectors/sql/dialects/dm/knex-client.js';

interface Compiled {
  sql: string;
  bindings: unknown[];
  response?: unknown;
  output?: (this: unknown, response: unknown) => unknown;
}

/** knex's Oracle client whose statements are answered by `answer` instead of a server. */
function standIn(
  answer: (q: Compiled) => unknown[],
  knexClient: Knex.Config['client'] = 'oracledb',
): { k: Knex; seen: Compiled[] } {
  const k = knexModule({ client: knexClient });
  const seen: Compiled[] = [];
  const client = k.client as unknown as Record<string, unknown>;
  client.acquireConnection = async () => ({});
  client.releaseConnection = async () => {};
  client._query = async (_connection: unknown, q: Compiled) => {
    seen.push(q);
    q.response = answer(q);
    return q;
  };
  client.processResponse = (q: Compiled, runner: unknown) =>
    q.output ? q.output.call(runner, q.response) : q.response;
  return { k, seen };
}

describe('front-db on Oracle: createTable looks for a schema-qualified table in its schema', () => {
  // The catalog: QZK's table only, none of the connecting user's own.
  const answer = (q: Compiled) =>
    /ALL_TABLES/.test(q.sql) && q.bindings.includes('qzk') && q.bindings.includes('UP_LIC_DATA')
      ? [{ TABLE_NAME: 'UP_LIC_DATA' }]
      : [];

  it("finds the table that schema holds, and not another schema's", async () => {
    const { k, seen } = standIn(answer);
    expect(await hasExchangeTable(k, 'qzk.UP_LIC_DATA')).toBe(true);
    expect(seen[0]?.sql).toMatch(/from "ALL_TABLES" where "OWNER" = :1 and "TABLE_NAME" = :2/);
    expect(await hasExchangeTable(k, 'other.UP_LIC_DATA')).toBe(false);
  });
});

describe('front-db on DM: createTable looks for a schema-qualified table in its schema', () => {
  const answer = (q: Compiled) =>
    /ALL_TABLES/.test(q.sql) && q.bindings.includes('QZK') && q.bindings.includes('UP_LIC_DATA')
      ? [{ TABLE_NAME: 'UP_LIC_DATA' }]
      : [];

  it("finds the table that schema holds, and not another schema's", async () => {
    const { k, seen } = standIn(answer, dmKnexClient() as unknown as Knex.Config['client']);
    expect(await hasExchangeTable(k, 'QZK.UP_LIC_DATA')).toBe(true);
    expect(seen[0]?.sql).toMatch(/from "ALL_TABLES" where "OWNER" = :1 and "TABLE_NAME" = :2/);
    expect(await hasExchangeTable(k, 'OTHER.UP_LIC_DATA')).toBe(false);
  });
});
