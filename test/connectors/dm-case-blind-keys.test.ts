/**
 * A DM instance initialised case-insensitive (`CASE_SENSITIVE = N`) takes `'a1'` for `'A1'` in every
 * comparison, GROUP BY included, and offers no binary comparison the builds in service share: the
 * look-up of a page's keys' other rows made `A1` and `a1` one key held twice, and license A1 gave
 * way to a1's newer row, never read. Such a stream is now refused before it reads, naming the
 * source, the stream and the key column (case-blind-keys.ts); a case-sensitive instance, a key
 * known unique, a key-only stream and a number key read as before. No DM server runs here: the
 * statements go through DM's real knex client to a connection standing in for the server, which
 * answers in dmdb's row shape (numbers as text, a case-insensitive instance keeping an alias's case).
 */
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { Page, StreamSpec } from '../../connectors/source.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import { isLicbridgeError } from '../../core/errors.js';

type Row = Record<string, unknown>;

const CASE_FLAG = 'SELECT SF_GET_CASE_SENSITIVE_FLAG() AS lb_case FROM dual';

/** ALL_TAB_COLUMNS rows: a text key that is not unique, a number key, a unique text key, a cursor. */
const COLUMNS: Row[] = [
  { NAME: 'XKZH', TYPE: 'VARCHAR(30)', NULLABLE: 'N', PK: '0', UQ: '0', OWNER: 'SPXK', TABLE_NAME: 'T_XKZ' },
  { NAME: 'ID', TYPE: 'BIGINT', NULLABLE: 'N', PK: '0', UQ: '0', OWNER: 'SPXK', TABLE_NAME: 'T_XKZ' },
  { NAME: 'BH', TYPE: 'VARCHAR(30)', NULLABLE: 'N', PK: '0', UQ: '1', OWNER: 'SPXK', TABLE_NAME: 'T_XKZ' },
  { NAME: 'GXSJ', TYPE: 'DATETIME(6)', NULLABLE: 'Y', PK: '0', UQ: '0', OWNER: 'SPXK', TABLE_NAME: 'T_XKZ' },
];

const ROWS: Row[] = [
  {
    XKZH: 'A1',
    ID: '1',
    BH: 'B1',
    GXSJ: '2024-03-01 08:00:00',
    __lb_cursor_text: '2024-03-01 08:00:00.000000',
  },
];

/** A dmdb connection answering as a DM server whose CASE_SENSITIVE is `flag`. */
function dmServer(flag: string, sent: string[]) {
  return {
    isTransaction: true,
    async executeAsync(sql: string) {
      sent.push(sql);
      if (sql === CASE_FLAG) return { rows: [flag === '0' ? { lb_case: flag } : { LB_CASE: flag }] };
      if (/all_tab_columns c/i.test(sql)) return { rows: COLUMNS };
      if (/all_tables/i.test(sql)) return { rows: [{ NAME: 'T_XKZ' }] };
      if (/FROM all_views WHERE/i.test(sql)) return { rows: [{ N: '0' }] };
      if (/all_ind_columns/i.test(sql)) return { rows: [{ NAME: 'XKZH', LEADS: '1' }] };
      // Rows without a key, the NULL-cursor phase, other rows of the page's keys: none.
      if (/ is null| in \(/i.test(sql)) return { rows: [] };
      if (/\bfrom\b/i.test(sql)) return { rows: ROWS };
      return { rows: [] };
    },
    async commitAsync() {},
    async rollbackAsync() {},
  };
}

async function dmSource(flag: string) {
  const config = withSourceDefaults({
    kind: 'dm',
    connection: { host: 'dm.example' },
    trim: 'all',
    pageSize: 500,
  });
  const db = knexModule(await dmDialect.knexConfig('legacy', config));
  const sent: string[] = [];
  const client = db.client as { acquireConnection(): Promise<unknown>; releaseConnection(): Promise<void> };
  const connection = dmServer(flag, sent);
  client.acquireConnection = async () => connection;
  client.releaseConnection = async () => undefined;
  return { source: new SqlSource('legacy', config, dmDialect, db as Knex), sent };
}

async function keysRead(source: SqlSource, stream: StreamSpec): Promise<string[]> {
  const pages: Page[] = [];
  for await (const page of source.read({ stream, after: null, pageSize: 100 })) pages.push(page);
  return pages.flatMap((p) => p.rows.map((r) => r.key));
}

const CURSOR_STREAM: StreamSpec = { table: 'SPXK.T_XKZ', key: 'XKZH', cursor: 'GXSJ' };

describe('a case-insensitive DM instance (CASE_SENSITIVE = N)', () => {
  it('refuses a cursor stream whose text key is not unique, naming the source, stream and key column', async () => {
    const { source, sent } = await dmSource('0');
    const error = await keysRead(source, CURSOR_STREAM).catch((e: unknown) => e);
    expect(isLicbridgeError(error) && error.code).toBe('LB_SOURCE_SCHEMA');
    expect((error as Error).message).toMatch(
      /^source legacy: the dm instance compares text without case \(initialised CASE_SENSITIVE = N\), so key column `XKZH` of stream `SPXK\.T_XKZ` cannot tell `A1` from `a1`/,
    );
    expect((error as Error).message).toContain('`keyUnique: true`');
    expect(sent).toContain(CASE_FLAG);
    // Refused before any page was read.
    expect(sent.some((s) => /"GXSJ" is not null/i.test(s))).toBe(false);
  });

  it('refuses a query stream (its key type is unknown) the same way', async () => {
    const { source } = await dmSource('0');
    const stream = { ...CURSOR_STREAM, table: 'licences', query: 'SELECT XKZH, GXSJ FROM T_XKZ' };
    await expect(keysRead(source, stream)).rejects.toThrow(/key column `XKZH` of query stream `licences`/);
  });

  it.each([
    ['a number key', { ...CURSOR_STREAM, key: 'ID' }, ['1']],
    ['a key the catalog says is unique', { ...CURSOR_STREAM, key: 'BH' }, ['B1']],
    ['a key declared unique', { ...CURSOR_STREAM, keyUnique: true }, ['A1']],
    ['a key-only stream', { table: 'SPXK.T_XKZ', key: 'XKZH' }, ['A1']],
  ])('reads %s without asking', async (_, stream, keys) => {
    const { source, sent } = await dmSource('0');
    expect(await keysRead(source, stream as StreamSpec)).toEqual(keys);
    expect(sent).not.toContain(CASE_FLAG);
  });
});

describe('a case-sensitive DM instance (as initialised by default)', () => {
  it('reads the cursor stream, having asked once', async () => {
    const { source, sent } = await dmSource('1');
    expect(await keysRead(source, CURSOR_STREAM)).toEqual(['A1']);
    expect(await keysRead(source, CURSOR_STREAM)).toEqual(['A1']);
    expect(sent.filter((s) => s === CASE_FLAG)).toHaveLength(1);
  });
});
