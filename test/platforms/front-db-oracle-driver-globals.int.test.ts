/**
 * node-oracledb keeps `fetchAsString` process-wide, read as each statement runs, and knex's Oracle
 * client writes its own list there each time it opens a connection. An Oracle source asks for
 * NUMBER and CLOB as text (NUMBER columns past 2^53, keys and cursors among them, would otherwise
 * come back rounded: STANDARDS.md §6); an Oracle front database opening a connection in the same
 * process (`run` opens every target) wrote knex's empty list over it, and the source's next pages
 * read NUMBER as JavaScript numbers. The front database's reads take either form
 * (EXCHANGE_STATUS compares by value, CLOBs are read whole by knex), so its client leaves the
 * setting as it finds it.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { frontDbConfig } from './front-db-fixtures.js';

const require = createRequire(import.meta.url);
const oracledb = require('oracledb') as { fetchAsString: unknown[]; NUMBER: unknown; CLOB: unknown };

describe('an Oracle front database and node-oracledb’s process-wide fetchAsString', () => {
  let server: Server;
  let before: unknown[];

  beforeAll(async () => {
    before = oracledb.fetchAsString;
    // Where the database would listen: each connection is dropped, so no login passes.
    server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    oracledb.fetchAsString = before;
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('opening a connection leaves NUMBER and CLOB as text, as an Oracle source set them', async () => {
    oracledb.fetchAsString = [oracledb.NUMBER, oracledb.CLOB];
    const target = new FrontDbTarget(
      'city',
      frontDbConfig(
        'oracle',
        {
          connection: {
            host: '127.0.0.1',
            port: (server.address() as AddressInfo).port,
            database: 'ORCL',
            user: 'lic',
            password: 'pw',
          },
        },
        'UP_LIC_DATA',
        { timeoutMs: 3_000 },
      ),
    );
    try {
      await expect(target.checkConnection()).rejects.toThrow(
        /^target city: reaching the front database failed/,
      );
    } finally {
      await target.close();
    }
    expect(oracledb.fetchAsString).toEqual([oracledb.NUMBER, oracledb.CLOB]);
  });
});
