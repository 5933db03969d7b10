/**
 * The lag window of an Oracle stream. Its bound was `LOCALTIMESTAMP - lag`, and LOCALTIMESTAMP is
 * the clock of the session's time zone, which node-oracledb (thin mode) sets at login to the
 * licbridge host's offset — not the database server's, whose clock (SYSDATE) the legacy
 * application writes its update times with. With licbridge on a UTC host and the server at
 * +08:00, every run held back the last eight hours of changes; with licbridge at +08:00 and the
 * server at UTC, the bound lay eight hours ahead and the window let through the rows committing
 * during a read, which it exists to hold back. The bound now reads the server's own clock: SYSDATE
 * for a zone-less cursor, SYSTIMESTAMP (an instant) for one WITH TIME ZONE.
 *
 * No Oracle server runs here: the session statement is node-oracledb's own, the SQL knex's.
 */
import { createRequire } from 'node:module';
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { cursorPage } from '../../connectors/sql/keyset.js';
import { boundedReads, oracleLagStream as stream } from './lag-streams.js';

const require = createRequire(import.meta.url);
const AuthMessage = require('oracledb/lib/thin/protocol/messages/auth.js') as {
  prototype: { getAlterTimezoneStatement(): string };
};

const db = knexModule({ client: 'oracledb', connection: {} });
const sqlOf = (s: ReturnType<typeof stream>) => boundedReads(db, oracleDialect, s).map((n) => n.sql);

describe('oracle lag window on the database server clock', () => {
  it('node-oracledb gives the session the licbridge host zone, so LOCALTIMESTAMP follows the host', () => {
    const before = { TZ: process.env.TZ, ORA_SDTZ: process.env.ORA_SDTZ };
    try {
      delete process.env.ORA_SDTZ;
      process.env.TZ = 'UTC';
      expect(AuthMessage.prototype.getAlterTimezoneStatement()).toMatch(/TIME_ZONE ='[-+]00:0'/);
      process.env.TZ = 'Asia/Shanghai';
      expect(AuthMessage.prototype.getAlterTimezoneStatement()).toContain("TIME_ZONE ='+08:0'");
    } finally {
      for (const [k, v] of Object.entries(before)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('bounds a DATE or TIMESTAMP cursor by SYSDATE, the server clock the application writes', () => {
    for (const type of ['DATE', 'TIMESTAMP(6)']) {
      for (const sql of sqlOf(stream(type))) {
        expect(sql, type).toContain(`"GXSJ" <= SYSDATE - NUMTODSINTERVAL(:`);
        expect(sql, type).not.toContain('LOCALTIMESTAMP');
      }
    }
  });

  it('bounds a TIMESTAMP WITH TIME ZONE cursor by SYSTIMESTAMP, an instant', () => {
    for (const type of ['TIMESTAMP(6) WITH TIME ZONE', 'TIMESTAMP(6) WITH LOCAL TIME ZONE']) {
      for (const sql of sqlOf(stream(type)))
        expect(sql, type).toContain(`"GXSJ" <= SYSTIMESTAMP - NUMTODSINTERVAL(:`);
    }
  });

  it('bounds a DM cursor by the server clock too: dmdb also logs in with the host offset', () => {
    // dmdb sends `localTimezone` (the host's offset) at login, which DM's LOCALTIMESTAMP follows.
    for (const [type, now] of [
      ['DATETIME(6)', 'SYSDATE'],
      ['TIMESTAMP(6)', 'SYSDATE'],
      ['DATETIME(6) WITH TIME ZONE', 'SYSTIMESTAMP'],
    ] as const) {
      const s = stream(type);
      const sql = cursorPage(db, dmDialect, s, null, 5).toSQL().toNative().sql;
      expect(sql, type).toContain(`"GXSJ" <= ${now} - NUMTODSINTERVAL(:`);
      expect(sql, type).not.toContain('LOCALTIMESTAMP');
    }
  });
});
