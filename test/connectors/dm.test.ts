/**
 * DM8 cannot run on the test machines. What is tested instead, as for SQL Server and Oracle: the
 * SQL the dm dialect makes (knex compiles it through the DM client without a connection), what
 * the dialect does with the value shapes dmdb hands over under `fetchAsString`, and the real
 * dmdb driver's own behaviour where no server is needed (its type constants, a refused connection).
 */
import { createRequire } from 'node:module';
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { sourceKind } from '../../connectors/kinds.js';
import { openSource } from '../../connectors/open-source.js';
import type { ColumnMeta, SqlDialect } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { cursorPage, type ResolvedStream } from '../../connectors/sql/keyset.js';
import { normaliseValue } from '../../connectors/sql/values.js';
import { isLicbridgeError } from '../../core/errors.js';
import { isZonedInstant } from '../../core/local-date.js';
import { column } from './lag-streams.js';

/** A column the catalog cannot tell leads an index or not. */
const col = (name: string, type: string) => column(name, type, { leadsIndex: null });

const dmConfig = (connection: Record<string, string | number | boolean>): SourceConfig => ({
  kind: 'dm',
  connection,
  trim: 'all',
  pageSize: 500,
});

async function dmKnex() {
  const config = await dmDialect.knexConfig('dm-src', dmConfig({ host: 'dm.example', user: 'SPXK_RO' }));
  return knexModule(config);
}

describe('dm paging SQL (knex oracledb SQL through the DM client)', () => {
  const s: ResolvedStream & { cursor: ColumnMeta } = {
    table: 'SPXK.T_SPXK_XKZ',
    columns: [col('ID', 'BIGINT'), col('GXSJ', 'DATETIME(6)')],
    key: col('ID', 'BIGINT'),
    cursor: col('GXSJ', 'DATETIME(6)'),
  };

  it('pages with ROWNUM, selects the cursor with six fractional digits and binds it back typed', async () => {
    const db = await dmKnex();
    const { sql, bindings } = cursorPage(
      db,
      dmDialect,
      s,
      { cursor: '2024-03-01 08:00:05.123456', key: '9007199254740993' },
      500,
    )
      .toSQL()
      .toNative();
    expect(sql).toMatch(/^select \* from \(select .* order by "GXSJ" asc, "ID" asc\) where rownum <= :\d+$/);
    expect(sql).toContain(`TO_CHAR("GXSJ", 'YYYY-MM-DD HH24:MI:SS.FF6') AS "__lb_cursor_text"`);
    // A date/time cursor is bounded by the database's clock even without a lag window (keyset.ts readBound).
    expect(sql).toContain(`"GXSJ" <= SYSDATE - NUMTODSINTERVAL(:1, 'SECOND')`);
    expect(sql).toContain(
      `("GXSJ" > TO_TIMESTAMP(:2, 'YYYY-MM-DD HH24:MI:SS.FF6') or ("GXSJ" = TO_TIMESTAMP(:3, 'YYYY-MM-DD HH24:MI:SS.FF6') and "ID" > TO_NUMBER(:4)))`,
    );
    // The key above 2^53 travels as text, so the server compares it exactly.
    expect(bindings.slice(0, 4)).toEqual([
      0,
      '2024-03-01 08:00:05.123456',
      '2024-03-01 08:00:05.123456',
      '9007199254740993',
    ]);
    await db.destroy();
  });

  it('formats a DATE cursor as a date and reads a key-only numeric cursor as text', async () => {
    const db = await dmKnex();
    expect(dmDialect.cursorAsText(db, 'FZRQ', 'DATE')?.toSQL().sql).toBe(`TO_CHAR("FZRQ", 'YYYY-MM-DD')`);
    expect(dmDialect.cursorAsText(db, 'ID', 'BIGINT')?.toSQL().sql).toBe('CAST("ID" AS VARCHAR(128))');
    await db.destroy();
  });
});

describe('dm value shapes (dmdb with fetchAsString)', () => {
  const n = dmDialect.normalise as NonNullable<SqlDialect['normalise']>;

  it('asks dmdb for numbers, dates and CLOBs as text (its NUMBER, DATE, CLOB constants)', async () => {
    const db = await dmKnex();
    // index.d.ts of dmdb documents NUMBER = 2010, DATE = 2014, CLOB = 2017.
    expect((db.client as unknown as { fetchAsString: number[] }).fetchAsString).toEqual([2010, 2014, 2017]);
    const dmdb = createRequire(import.meta.url)('dmdb') as Record<string, unknown>;
    expect([dmdb.NUMBER, dmdb.DATE, dmdb.CLOB]).toEqual([2010, 2014, 2017]);
    await db.destroy();
  });

  it('BIGINT above 2^53 stays exact; text is a number only when exact', () => {
    expect(n('9223372036854775807', 'BIGINT')).toBe('9223372036854775807');
    expect(n('9007199254740993', 'BIGINT')).toBe('9007199254740993');
    expect(n('42', 'INT')).toBe(42);
    expect(n('12.50', 'DECIMAL(10,2)')).toBe('12.50');
    expect(n('0042', 'VARCHAR(10)')).toBe('0042');
    // A query stream knows no types: text stays text.
    expect(n('42', undefined)).toBe('42');
  });

  it('date and date-time text become their wall-clock fields, whatever the host zone', () => {
    expect((n('2024-03-01 08:00:05.123456', 'DATETIME(6)') as Date).toISOString()).toBe(
      '2024-03-01T08:00:05.123Z',
    );
    expect((n('2024-03-01', 'DATE') as Date).toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });

  it('zoned text becomes its instant, marked as zoned; DATE and DATETIME text are not marked', () => {
    // dmdb's text for TIMESTAMP WITH TIME ZONE (DateUtil.toStringFromDT): fields, space, offset.
    for (const type of [
      'TIMESTAMP(6) WITH TIME ZONE',
      'DATETIME WITH TIME ZONE',
      'TIMESTAMP WITH LOCAL TIME ZONE',
    ]) {
      const out = normaliseValue(n('2024-03-01 07:00:00.123456 +08:00', type), false);
      expect((out as Date).toISOString(), type).toBe('2024-02-29T23:00:00.123Z');
      expect(isZonedInstant(out), type).toBe(true);
    }
    expect((n('2024-03-01 07:00:00 -05:00', 'TIMESTAMP WITH TIME ZONE') as Date).toISOString()).toBe(
      '2024-03-01T12:00:00.000Z',
    );
    // Text without an offset is not an instant: it stays text rather than being guessed.
    expect(n('2024-03-01 07:00:00', 'TIMESTAMP WITH LOCAL TIME ZONE')).toBe('2024-03-01 07:00:00');
    expect(isZonedInstant(normaliseValue(n('2024-03-01 23:30:00', 'DATETIME(6)'), false))).toBe(false);
    expect(isZonedInstant(normaliseValue(n('2024-03-01', 'DATE'), false))).toBe(false);
  });

  it('classifies DM server and dmdb driver codes by errCode', () => {
    const login = Object.assign(new Error('[-2501] 用户名或密码错误'), { errCode: -2501 });
    const e = dmDialect.classifyError(login, 'market', 'SPXK_RO');
    expect([e.code, e.retryable]).toEqual(['LB_SOURCE_AUTH', false]);
    expect(e.message).toContain('user `SPXK_RO`');
    const table = Object.assign(new Error('[-2106] 无效的表或视图名[T_X]'), { errCode: -2106 });
    expect(dmDialect.classifyError(table, 'market').code).toBe('LB_SOURCE_SCHEMA');
    const lost = Object.assign(new Error('[6001] 网络通信异常'), { errCode: 6001 });
    expect(dmDialect.classifyError(lost, 'market').retryable).toBe(true);
  });
});

describe('dm connection settings', () => {
  it('defaults to port 5236, names the schema with `database`, and takes the timeouts', async () => {
    const config = await dmDialect.knexConfig(
      'dm-src',
      dmConfig({ host: 'dm.example', user: 'SPXK_RO', password: 'x', database: 'SPXK' }),
    );
    expect(config.connection).toMatchObject({
      connectString: 'dm.example:5236',
      user: 'SPXK_RO',
      schema: 'SPXK',
      socketTimeout: 60_000,
    });
    expect(sourceKind('dm')?.defaultPort).toBe(5236);
  });

  it('refuses connection.tls rather than connecting in the clear', async () => {
    const error = await dmDialect
      .knexConfig('dm-src', dmConfig({ host: 'dm.example', ssl: true }))
      .catch((e: unknown) => e);
    expect(isLicbridgeError(error) && error.code).toBe('LB_USAGE');
    expect((error as Error).message).toMatch(/source dm-src: `connection.tls` is not supported for DM/);
  });

  it('a refused connection through the real dmdb driver is a retryable unreachable source', async () => {
    const source = await openSource('dm-src', {
      ...dmConfig({ host: '127.0.0.1', port: 1, user: 'SYSDBA', password: 'not-printed' }),
      connectTimeoutMs: 2000,
    });
    const error = await source.checkConnection().catch((e: unknown) => e);
    await source.close();
    expect(isLicbridgeError(error) && [error.code, error.retryable]).toEqual(['LB_SOURCE_UNREACHABLE', true]);
    expect((error as Error).message).toContain('source dm-src');
    expect((error as Error).message).not.toContain('not-printed');
  });
});
