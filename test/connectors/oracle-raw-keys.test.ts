/**
 * Oracle RAW keys: SYS_GUID() primary keys, RAW(16). node-oracledb hands a RAW over as a Buffer, and
 * the checkpoint writes it as `\x` and hex (values.ts); that text was bound back as a string, which
 * Oracle converts to RAW with HEXTORAW, and `\x…` is no hex number (ORA-01465): every read of such
 * a stream failed at its second page, on every run. It is bound as HEXTORAW of its hex digits.
 * No Oracle server runs here: the SQL and bindings are knex's own for node-oracledb.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { storedKeyOf } from '../../connectors/sql/key-cursors.js';
import { keyOnlyPage, type ResolvedStream } from '../../connectors/sql/keyset.js';

const db = knexModule({ client: 'oracledb', connection: {} });
// As describeOracleFamilyTable spells a RAW(16) column (CHAR_LENGTH is 0 for RAW).
const key: ColumnMeta = {
  name: 'ID',
  type: 'RAW(0)',
  nullable: false,
  primaryKey: true,
  unique: true,
  leadsIndex: true,
};
const stream: ResolvedStream = { table: 'T_XKZ', columns: [key], key };

describe('oracle RAW keys', () => {
  it("binds a page's last key back as the RAW it was read as", () => {
    const guid = Buffer.from('0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'hex');
    const after = storedKeyOf(oracleDialect, stream, { ID: guid });
    const sql = keyOnlyPage(db, oracleDialect, stream, after, 100).toSQL().toNative();
    expect(sql.sql).toContain('"ID" > HEXTORAW(:1)');
    expect(sql.bindings[0]).toBe('0a1b2c3d4e5f60718293a4b5c6d7e8f9');
  });

  it('binds other text as it is', () => {
    const text = { ...key, type: 'VARCHAR2(32)' };
    expect(oracleDialect.bind(db, '\\x0a1b', text)).toBe('\\x0a1b');
  });
});
