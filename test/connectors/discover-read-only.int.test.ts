/**
 * Discovery counts the rows of every table and view it lists. Every other read of a source runs in
 * a READ ONLY transaction (connectors/sql/read-transaction.ts); the counts ran on the bare
 * session, whose read-only default a function a view calls can switch off — and a view counted
 * next on that connection then wrote. Real MariaDB, as root (a login with every right).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createMariadbDatabase, type FreshMariadb, MARIADB } from './servers.js';

describe('discover: row counts are read-only too', () => {
  let fresh: FreshMariadb;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createMariadbDatabase();
    const c = fresh.conn;
    await c.query('CREATE TABLE t (id integer PRIMARY KEY)');
    await c.query('INSERT INTO t VALUES (1), (2), (3)');
    await c.query('CREATE TABLE victim (n integer)');
    await c.query(`CREATE FUNCTION lift_read_only() RETURNS integer
      BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION RETURN 0; SET SESSION tx_read_only = 0; RETURN 1; END`);
    await c.query(`CREATE FUNCTION write_victim() RETURNS integer
      BEGIN INSERT INTO victim VALUES (1); RETURN 1; END`);
    await c.query('CREATE VIEW v_lift AS SELECT id FROM t WHERE lift_read_only() >= 0');
    await c.query('CREATE VIEW v_write AS SELECT id FROM t WHERE write_victim() >= 0');
    const config: SourceConfig = {
      kind: 'mysql',
      connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
      trim: 'all',
      pageSize: 100,
    };
    source = await openSource('maria-discover', config);
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('counting a view that lifts read-only cannot let a view counted after it write', async () => {
    for (let round = 0; round < 3; round++) {
      // Both pooled connections lifted, whichever the next count draws.
      await Promise.all([source.discover({ table: 'v_lift' }), source.discover({ table: 'v_lift' })]);
      // MariaDB refuses, before running it, a statement that calls a writing function.
      await expect(source.discover({ table: 'v_write' })).rejects.toThrow(/READ ONLY transaction/);
    }
    const [rows] = (await fresh.conn.query('SELECT count(*) AS n FROM victim')) as unknown as [
      { n: number }[],
    ];
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('counts a plain table and view as before', async () => {
    const [table] = await source.discover({ table: 't' });
    expect(table?.rowCount).toBe(3);
    const [view] = await source.discover({ table: 'v_lift' });
    expect(view?.rowCount).toBe(3);
  });
});
