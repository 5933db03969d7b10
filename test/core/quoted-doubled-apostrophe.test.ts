/**
 * SQL writes an apostrophe inside a string literal doubled (`'O''Brien'`), as knex does where it
 * pastes a statement's values into a driver's error, for PostgreSQL, SQLite, SQL Server and Oracle
 * alike. hideQuoted (core/quoted-values.ts) read the doubled apostrophe as the end of one value and
 * the start of the next, so `'O''Brien'` went out whole and `'Zhang''s San'` showed its first word.
 * An empty literal (`''`) still closes where it opens: `values ('', 'Zhang San')` hides the name.
 */
import knex from 'knex';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideQuoted } from '../../core/quoted-values.js';

const keep = { backticks: false, keepIdentifiers: true };

describe('a doubled apostrophe inside a quoted value', () => {
  it('hides the value whole', () => {
    for (const value of ["'O''Brien'", "'Zhang''s San'", "'Li Chang''an'", "'Tian''anmen Shop'", "''''"]) {
      expect(hideQuoted(`insert into t (unit) values (${value}) failed`, keep)).toBe(
        "insert into t (unit) values ('***') failed",
      );
    }
    expect(hideQuoted("Duplicate entry 'D''Angelo' for key 'uk_holder'", keep)).toBe(
      "Duplicate entry '***' for key 'uk_holder'",
    );
    expect(hideQuoted("holder N'Chang''e' refused", keep)).toBe("holder N'***' refused");
  });

  it('still closes an empty value where it opens', () => {
    expect(hideQuoted("values ('', 'Zhang San')", keep)).toBe("values ('***', '***')");
    expect(hideQuoted("values ('','Zhang San')", keep)).toBe("values ('***','***')");
    expect(hideQuoted("values ('Zhang San', '')", keep)).toBe("values ('***', '***')");
    expect(hideQuoted("expected '' for 'Zhang San'", keep)).toBe("expected '***' for '***'");
  });

  it('hides the values knex pastes into a failed statement, through safeErrorText', () => {
    for (const client of ['better-sqlite3', 'pg']) {
      const db = knex({ client, useNullAsDefault: true });
      const sql = db('objections')
        .insert({ id: 1, note: "holder Li Chang'an called", unit: "O'Brien" })
        .toString();
      // What knex writes: the apostrophes doubled, as the message of a failed statement holds them.
      expect(sql).toContain("'O''Brien'");
      const shown = safeErrorText(`${sql} - UNIQUE constraint failed: objections.id`);
      expect(shown).not.toMatch(/Brien|Chang|called/);
      expect(shown).toContain("values (1, '***', '***') - UNIQUE constraint failed: objections.id");
      void db.destroy();
    }
  });
});
