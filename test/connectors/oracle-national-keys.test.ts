/**
 * Oracle NCHAR and NVARCHAR2 keys and cursors in a database whose character set is not Unicode
 * (STANDARDS §6, "Oracle national charsets"). Such a database (WE8MSWIN1252, ZHS16GBK) keeps its
 * Chinese, or the characters GBK lacks, in national-character columns, held in AL16UTF16.
 * node-oracledb sends a string bind as VARCHAR2, which the server converts to the database
 * character set before it compares it with the column, writing `?` for each character that set
 * lacks; `TO_CHAR` of an NVARCHAR2 converts the same way. A page ending on `食字002` resumed after
 * `??002`, which every Chinese key sorts after: the stream was read again without end (or, where
 * `?` sorted after the real characters, rows were passed over). The key is bound as `UNISTR` of
 * its UTF-16 escapes, ASCII the database character set holds whatever it is, and the cursor's
 * checkpoint is the text the driver reads, never `TO_CHAR` of it.
 *
 * No Oracle server runs here: knex's Oracle client makes the SQL and its bindings, and a stand-in
 * answers the page statements, converting a plain bind or a `TO_CHAR` to the database character
 * set (cp1252 by iconv-lite, `?` for what it lacks) and reading `UNISTR` as Oracle documents it.
 */
import iconv from 'iconv-lite';
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { Page, StreamSpec } from '../../connectors/source.js';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { keyOnlyPage, type ResolvedStream } from '../../connectors/sql/keyset.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';

type Row = Record<string, unknown>;

/** Text as a WE8MSWIN1252 database holds it in VARCHAR2: `?` for each character cp1252 lacks. */
const inDatabaseCharset = (text: string): string => iconv.decode(iconv.encode(text, 'cp1252'), 'cp1252');

/** Oracle's UNISTR: `\XXXX` is one UTF-16 code unit, `\\` a backslash. */
function unistr(text: string): string {
  return text.replace(/\\(\\|[0-9A-Fa-f]{4})/g, (_m, e: string) =>
    e === '\\' ? '\\' : String.fromCharCode(Number.parseInt(e, 16)),
  );
}

const KEYS = ['食字001', '食字002', '食字003', 'SP食004', 'SP字005', '食字006', '食字007', 'back\\slash'];
const BATCHES = ['食品经营-1', '食品经营-1', '食品经营-2', '食品经营-2', '食品经营-3', '食品流通-1', 'PC-01'];

/** ALL_TAB_COLUMNS rows for SPXK.T_XKZ as node-oracledb returns them. */
const column = (name: string, type: string, pk: boolean): Row => ({
  NAME: name,
  TYPE: type,
  NULLABLE: pk ? 'N' : 'Y',
  PK: pk ? '1' : '0',
  UQ: '0',
  OWNER: 'SPXK',
  TABLE_NAME: 'T_XKZ',
});

/** A bound value as the server compares it with an NVARCHAR2 column. */
function boundText(sql: string, placeholder: string, binds: unknown[]): string {
  const n = Number(placeholder.slice(1));
  const value = String(binds[n - 1]);
  return sql.includes(`UNISTR(${placeholder})`) ? unistr(value) : inDatabaseCharset(value);
}

/** A comparison `"COL" <op> <bind>` of the page statement: the bind's placeholder. */
const placeholderOf = (sql: string, pattern: string): string | undefined =>
  new RegExp(`${pattern} (?:UNISTR\\()?(:\\d+)`).exec(sql)?.[1];

/**
 * An Oracle 19c server in WE8MSWIN1252 answering reads of SPXK.T_XKZ: the catalog, and pages
 * ordered by the national-character columns in binary (UTF-16) order, after the bound values as
 * it converts them.
 */
function server(columns: Row[], rows: Row[], keyName: string, cursorName?: string) {
  let statements = 0;
  return {
    isTransaction: true,
    async executeAsync(sql: string, binds: unknown[] = []) {
      // A stream read again without end never finishes: a bounded count of statements is plenty.
      if (++statements > 60) throw new Error('read did not end');
      if (/all_tab_columns c/i.test(sql)) return { rows: columns };
      if (/all_tables/i.test(sql)) return { rows: [{ NAME: 'T_XKZ' }] };
      if (/FROM all_views WHERE/i.test(sql)) return { rows: [{ N: '0' }] };
      if (/all_ind_columns/i.test(sql)) return { rows: columns.map((c) => ({ NAME: c.NAME, LEADS: '1' })) };
      if (!/"T_XKZ"/.test(sql) || / is null/i.test(sql) || / in \(/i.test(sql)) return { rows: [] };
      const limit = Number(binds[binds.length - 1]);
      const k = `"${keyName}"`;
      let out = [...rows];
      if (cursorName) {
        const c = `"${cursorName}"`;
        out.sort((a, b) =>
          a[cursorName] === b[cursorName]
            ? Number(a[keyName]) - Number(b[keyName])
            : String(a[cursorName]) < String(b[cursorName])
              ? -1
              : 1,
        );
        const after = placeholderOf(sql, `\\(${c} >`);
        if (after) {
          const cv = boundText(sql, after, binds);
          const kv = Number(binds[Number(/ and "ID" > TO_NUMBER\((:\d+)\)/.exec(sql)?.[1]?.slice(1)) - 1]);
          out = out.filter((r) => {
            const v = String(r[cursorName]);
            return v > cv || (v === cv && Number(r[keyName]) > kv);
          });
        }
      } else {
        out.sort((a, b) => (String(a[keyName]) < String(b[keyName]) ? -1 : 1));
        const after = placeholderOf(sql, `${k} >`);
        if (after) {
          const kv = boundText(sql, after, binds);
          out = out.filter((r) => String(r[keyName]) > kv);
        }
      }
      const cursorText = cursorName && sql.includes(`TO_CHAR("${cursorName}") AS "__lb_cursor_text"`);
      return {
        rows: out
          .slice(0, limit)
          .map((r) =>
            cursorText ? { ...r, __lb_cursor_text: inDatabaseCharset(String(r[cursorName])) } : { ...r },
          ),
      };
    },
    async commitAsync() {},
    async rollbackAsync() {},
  };
}

/** Lets `db` run its statements on `connection` instead of one from its pool. */
function answering(db: Knex, connection: object): void {
  const client = db.client as {
    acquireConnection(): Promise<unknown>;
    releaseConnection(connection: unknown): Promise<void>;
  };
  client.acquireConnection = async () => connection;
  client.releaseConnection = async () => undefined;
}

async function readAll(connection: object, stream: StreamSpec, pageSize: number): Promise<Page[]> {
  const db = knexModule({ client: 'oracledb', connection: {} });
  answering(db, connection);
  const config = withSourceDefaults({
    kind: 'oracle',
    connection: { host: 'db.example' },
    trim: 'all',
    pageSize,
  });
  const source = new SqlSource('market-food', config, oracleDialect, db);
  const pages: Page[] = [];
  for await (const page of source.read({ stream, after: null, pageSize })) pages.push(page);
  return pages;
}

describe('oracle national-character keys and cursors in a non-Unicode database', () => {
  it('reads every key of an NVARCHAR2 key column once, page after page', async () => {
    const columns = [column('XKZBH', 'NVARCHAR2(20)', true)];
    const rows = KEYS.map((k) => ({ XKZBH: k }));
    const pages = await readAll(server(columns, rows, 'XKZBH'), { table: 'SPXK.T_XKZ', key: 'XKZBH' }, 2);
    expect(pages.flatMap((p) => p.rows.map((r) => r.key))).toEqual([...KEYS].sort());
  });

  it('reads every row of an NVARCHAR2 cursor once, ties across a page boundary included', async () => {
    const columns = [column('ID', 'NUMBER(10,0)', true), column('PC', 'NVARCHAR2(40)', false)];
    const rows = BATCHES.map((pc, i) => ({ ID: String(i + 1), PC: pc }));
    const pages = await readAll(
      server(columns, rows, 'ID', 'PC'),
      { table: 'SPXK.T_XKZ', key: 'ID', cursor: 'PC' },
      2,
    );
    const read = pages.flatMap((p) => p.rows.map((r) => r.key));
    expect([...read].sort()).toEqual(rows.map((r) => r.ID).sort());
    expect(new Set(read).size).toBe(read.length);
    // The checkpoint names the batch as stored, not as the database character set spells it.
    expect(pages.at(-1)?.checkpoint).toBe(JSON.stringify({ v: 1, cursor: '食品经营-3', key: '5' }));
  });

  it('binds an NCHAR or NVARCHAR2 key as UNISTR of ASCII escapes, other text as it is', () => {
    const db = knexModule({ client: 'oracledb', connection: {} });
    const col = (type: string): ColumnMeta => ({
      name: 'XKZBH',
      type,
      nullable: false,
      primaryKey: true,
      unique: true,
      leadsIndex: true,
    });
    const page = (key: ColumnMeta) => {
      const s: ResolvedStream = { table: 'T_XKZ', columns: [key], key };
      return keyOnlyPage(db, oracleDialect, s, 'SP食\\002', 2).toSQL().toNative();
    };
    for (const type of ['NVARCHAR2(20)', 'NCHAR(10)']) {
      const { sql, bindings } = page(col(type));
      expect(sql).toContain('"XKZBH" > UNISTR(:1)');
      expect(bindings[0]).toBe('SP\\98DF\\\\002');
      expect(unistr(String(bindings[0]))).toBe('SP食\\002');
    }
    const plain = page(col('VARCHAR2(20)'));
    expect(plain.sql).toContain('"XKZBH" > :1');
    expect(plain.bindings[0]).toBe('SP食\\002');
  });
});
