/**
 * Fresh databases on the test PostgreSQL and MariaDB servers, one per test file, dropped after.
 * Real servers only (127.0.0.1:5432 trust as postgres; 127.0.0.1:3306 root without password).
 */
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { SourceConfig } from '../../config/types.js';

export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' } as const;
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' } as const;

/** A PostgreSQL source on `database` of the test server, values trimmed, pages of 500. */
export const pgSourceConfig = (database: string): SourceConfig => ({
  kind: 'postgres',
  connection: { host: PG.host, port: PG.port, user: PG.user, database },
  trim: 'all',
  pageSize: 500,
});

export interface FreshPg {
  database: string;
  /** A client connected to the fresh database, for fixtures. */
  client: pg.Client;
  /** Terminates every other session on the fresh database. */
  terminateOthers(): Promise<void>;
  drop(): Promise<void>;
}

/** `encoding`: the database's server encoding (`SQL_ASCII`), from template0; the server's default otherwise. */
export async function createPgDatabase(options: { encoding?: 'SQL_ASCII' } = {}): Promise<FreshPg> {
  const database = `lb_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client(PG);
  await admin.connect();
  const encoding = options.encoding ? ` ENCODING '${options.encoding}' TEMPLATE template0` : '';
  await admin.query(`CREATE DATABASE ${database}${encoding}`);
  const client = new pg.Client({ ...PG, database });
  await client.connect();
  return {
    database,
    client,
    async terminateOthers() {
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2',
        [database, (client as unknown as { processID: number }).processID],
      );
    },
    async drop() {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface FreshMariadb {
  database: string;
  conn: mysql.Connection;
  killOthers(): Promise<void>;
  drop(): Promise<void>;
}

export async function createMariadbDatabase(): Promise<FreshMariadb> {
  const database = `lb_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const conn = await mysql.createConnection({ ...MARIADB, multipleStatements: false });
  await conn.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
  await conn.query(`USE ${database}`);
  return {
    database,
    conn,
    async killOthers() {
      const [rows] = (await conn.query(
        'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
        [database],
      )) as unknown as [{ id: number }[]];
      for (const r of rows) await conn.query(`KILL CONNECTION ${Number(r.id)}`).catch(() => undefined);
    },
    async drop() {
      await conn.query(`DROP DATABASE IF EXISTS ${database}`);
      await conn.end();
    },
  };
}
