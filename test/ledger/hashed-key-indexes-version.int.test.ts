/**
 * Migration 037 needs PostgreSQL 11 (hashtextextended): on an older server it stops with an error
 * that says so, instead of PostgreSQL's "function hashtextextended(text, integer) does not exist".
 * The server here is newer; PostgreSQL 10's version is given as that server reports it.
 */
import { describe, expect, it } from 'vitest';
import { olderThanHashtextextended } from '../../ledger/migrations/037-hashed-key-indexes.js';
import { PG_URL } from './backends.js';
import { rawKnex } from './raw-knex.js';

describe('migration 037 on an older PostgreSQL', () => {
  it('refuses PostgreSQL 10, naming the version it needs and the one it got', () => {
    const refused = olderThanHashtextextended(100023, '10.23 (Debian 10.23-1.pgdg100+1)');
    expect(refused?.code).toBe('LB_LEDGER');
    expect(refused?.message).toMatch(/037-hashed-key-indexes needs PostgreSQL 11 or later/);
    expect(refused?.message).toMatch(/got PostgreSQL 10\.23/);
  });

  it('takes PostgreSQL 11 and the server the tests run on', async () => {
    expect(olderThanHashtextextended(110000, '11.0')).toBeUndefined();
    const k = rawKnex(`${PG_URL}?schema=public`);
    try {
      const res: { rows: { n: string; v: string }[] } = await k.raw(
        "select current_setting('server_version_num') as n, current_setting('server_version') as v",
      );
      const row = res.rows[0] as { n: string; v: string };
      expect(olderThanHashtextextended(Number(row.n), row.v)).toBeUndefined();
    } finally {
      await k.destroy();
    }
  });
});
