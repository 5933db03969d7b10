/**
 * The column list a DM front database's exchange table is checked against (the widths of
 * DATA_SOURCE and BATCH_NO, whether EXCHANGE_TIME is a date): read where the writes go, with the
 * unit of each width. knex reads DM's columns as Oracle's, by table name alone through DBMS_XMLGEN:
 * every same-named table the user may see, merged, so another schema's narrow BATCH_NO refused a
 * fitting table; and no CHAR_USED, so a `VARCHAR(10 CHAR)` DATA_SOURCE was measured in bytes and a
 * unit's name of eight Chinese characters refused. No DM server runs in the tests: the DM knex
 * client runs against a stand-in answering from a catalog of two schemas.
 */
import { createRequire } from 'node:module';
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import {
  catalogColumnsQuery,
  checkExchangeColumns,
} from '../../adapters/platforms/front-db/exchange-columns.js';
import { dmKnexClient } from '../../connectors/sql/dialects/dm/knex-client.js';

interface Compiled {
  sql: string;
  bindings: unknown[];
  response?: unknown;
}

/** One column of ALL_TAB_COLUMNS, as DM lists it. */
const column = (name: string, type: string, length: number | null, charUsed: 'B' | 'C' | null = null) => ({
  COLUMN_NAME: name,
  DATA_TYPE: type,
  CHAR_LENGTH: length,
  CHAR_COL_DECL_LENGTH: length,
  CHAR_USED: charUsed,
});

/** The session's schema QZK: the exchange table licbridge writes, its DATA_SOURCE counting characters. */
const OWN = [
  column('DELIVERY_KEY', 'VARCHAR', 200, 'B'),
  column('BATCH_NO', 'VARCHAR', 64, 'B'),
  column('OPERATION_TYPE', 'VARCHAR', 1, 'B'),
  column('EXCHANGE_TIME', 'DATETIME', null),
  column('DATA_SOURCE', 'VARCHAR', 10, 'C'),
  column('LICENSE_ID', 'VARCHAR', 160, 'B'),
  column('LICENSE_VERSION', 'INTEGER', null),
  column('ZZBS', 'VARCHAR', 200, 'B'),
  column('CZLX', 'VARCHAR', 4, 'B'),
  column('ZZZT', 'VARCHAR', 4, 'B'),
  column('PAYLOAD', 'CLOB', null),
  column('SIGNATURE', 'CLOB', null),
  column('EXCHANGE_STATUS', 'VARCHAR', 2, 'B'),
];

/** Another schema's same-named table (the exchange system's own copy): narrow, and text times. */
const OTHER = [column('BATCH_NO', 'VARCHAR', 20, 'B'), column('EXCHANGE_TIME', 'VARCHAR', 30, 'B')];

const UNIT = '青岛市市场监管局'; // 8 characters, 24 bytes in UTF-8

/** As dmdb raises an error of the server: its code in `errCode`. */
const { DBError } = createRequire(import.meta.url)('dmdb/src/driver/error.js') as {
  DBError: new (code: number, message: string, detail: null) => Error;
};

/**
 * The DM knex client, its statements answered from the catalog above instead of a server;
 * `missing`: the session's schema holds no such table (DM's -2106 to the query of its columns).
 */
function standIn(other: readonly object[] = OTHER, missing = false): Knex {
  const k = knexModule({ client: dmKnexClient() as unknown as Knex.Config['client'] });
  const client = k.client as unknown as Record<string, unknown>;
  client.acquireConnection = async () => ({});
  client.releaseConnection = async () => {};
  client._query = async (_connection: unknown, q: Compiled) => {
    if (/1 = 0/.test(q.sql)) {
      if (missing) throw new DBError(-2106, '无效的表或视图名[UP_LIC_DATA]', null);
      q.response = [];
    } else if (missing && /all_tab_columns/i.test(q.sql)) q.response = [];
    else if (/sf_get_length_in_char/i.test(q.sql))
      q.response = [{ bytes: 24 }]; // counts bytes
    else if (/all_tab_columns/i.test(q.sql)) {
      // Filtered by owner: the session's schema alone, in the columns the statement names; by
      // name alone (knex's own lookup): both schemas, in the view's columns.
      q.response = /OWNER\s*=/i.test(q.sql)
        ? OWN.map((c) => ({
            name: c.COLUMN_NAME,
            maxLength: c.CHAR_LENGTH,
            type: c.DATA_TYPE,
            charUsed: c.CHAR_USED,
          }))
        : [...OWN, ...other];
    } else throw new Error(`stand-in: unexpected statement ${q.sql}`);
    return q;
  };
  return k;
}

const check = {
  target: 'city',
  client: 'dm' as const,
  table: 'UP_LIC_DATA',
  dataSource: UNIT,
  deadline: { remainingMs: () => 5_000, cancel: false },
};

describe('front-db on DM: the exchange table columns looked up', () => {
  it("reads an unqualified table's columns in the session's schema, with each width's unit", () => {
    const sql = catalogColumnsQuery(standIn(), 'dm', 'UP_LIC_DATA')?.toSQL();
    expect(sql?.sql).toContain(`OWNER = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')`);
    expect(sql?.sql).toMatch(/"CHAR_USED" "charUsed"/);
    expect(sql?.bindings).toEqual(['UP_LIC_DATA']);
  });

  it("reads a schema-qualified table's columns in that schema", () => {
    const sql = catalogColumnsQuery(standIn(), 'dm', 'qzk.UP_LIC_DATA')?.toSQL();
    expect(sql?.sql).toMatch(/from "ALL_TAB_COLUMNS" where "TABLE_NAME" = \? and OWNER = \?/);
    expect(sql?.bindings).toEqual(['UP_LIC_DATA', 'qzk']);
  });

  it("opens on a fitting table another schema's narrow copy does not decide, its DATETIME taken as a date", async () => {
    const k = standIn();
    try {
      const shape = await checkExchangeColumns(k, { ...check, dataSource: '11370211MB' });
      expect(shape.timeIsDate).toBe(true);
      expect(shape.keyWidth).toBe(200);
    } finally {
      await k.destroy();
    }
  });

  it('measures a DATA_SOURCE declared in characters in characters, on an instance counting bytes', async () => {
    const k = standIn([]);
    try {
      await expect(checkExchangeColumns(k, check)).resolves.toMatchObject({ timeIsDate: true });
    } finally {
      await k.destroy();
    }
  });

  it("refuses a table the session cannot find by DM's own word (-2106), naming it, rather than retrying", async () => {
    const k = standIn([], true);
    try {
      await expect(checkExchangeColumns(k, check)).rejects.toMatchObject({
        code: 'LB_CONFIG_INVALID',
        message: expect.stringContaining('exchange table UP_LIC_DATA is not in the front database'),
      });
    } finally {
      await k.destroy();
    }
  });
});
