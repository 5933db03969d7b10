/**
 * A KingbaseES front database is reached through node-postgres, which takes PostgreSQL's 5432 for a
 * missing port and the user's name for a missing database: KingbaseES listens on 54321 and a fresh
 * instance has no database named for its user (its first is `test`). The port defaults to
 * KingbaseES's own, and a missing database is a config problem, as for a kingbase source.
 */
import { describe, expect, it } from 'vitest';
import { driverConnection } from '../../adapters/platforms/front-db/front-db-driver.js';
import { frontDbKind } from '../../adapters/platforms/front-db/kind.js';
import { frontDbConfig } from './front-db-fixtures.js';

describe('a KingbaseES front database: where it is reached', () => {
  it("defaults the port to KingbaseES's 54321, keeping one the config sets", () => {
    expect(driverConnection('city', 'kingbase', { host: 'kdb', database: 'qzk' }).port).toBe(54321);
    expect(driverConnection('city', 'kingbase', { host: 'kdb', database: 'qzk', port: 54322 }).port).toBe(
      54322,
    );
    expect(driverConnection('city', 'postgres', { host: 'pg', database: 'qzk' }).port).toBeUndefined();
  });

  it('names a missing connection.database as a config problem', () => {
    const problems = (connection: Record<string, string>) =>
      frontDbKind.problems('city', frontDbConfig('kingbase', { connection }, 'UP_LIC_DATA'));
    expect(problems({ host: 'kdb', database: 'qzk' })).toEqual([]);
    expect(problems({ host: 'kdb' })).toEqual([
      {
        path: ['connection'],
        message:
          'target city: expected `connection.database` with `client: kingbase` (KingbaseES has no `postgres` database to fall back on; a fresh instance has `test`), got none',
      },
    ]);
  });
});
