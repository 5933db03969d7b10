/**
 * Scratch databases for front-database target tests: one per test file on the local PostgreSQL
 * and MariaDB servers, created and dropped whole, and a way to run a statement inside one.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';

const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/test';

export interface ScratchServer {
  /** Creates database `db` (utf8mb4 on MariaDB) and returns the target's connection settings. */
  create(db: string): Promise<Record<string, string | number>>;
  drop(db: string): Promise<void>;
  /** Runs `sql` in database `db` and returns its rows. */
  query<T>(db: string, sql: string): Promise<T[]>;
}

export const scratchPostgres: ScratchServer = {
  async create(db) {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    try {
      await c.query(`create database "${db}"`);
    } finally {
      await c.end();
    }
    return { host: '127.0.0.1', port: 5432, user: 'postgres', database: db };
  },
  async drop(db) {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    try {
      await c.query(`drop database if exists "${db}" with (force)`);
    } finally {
      await c.end();
    }
  },
  async query<T>(db: string, sql: string) {
    const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db });
    await c.connect();
    try {
      return (await c.query(sql)).rows as T[];
    } finally {
      await c.end();
    }
  },
};

export const scratchMariaDb: ScratchServer = {
  async create(db) {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    try {
      await c.query(`create database \`${db}\` character set utf8mb4`);
    } finally {
      await c.end();
    }
    return { host: '127.0.0.1', port: 3306, user: 'root', database: db };
  },
  async drop(db) {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    try {
      await c.query(`drop database if exists \`${db}\``);
    } finally {
      await c.end();
    }
  },
  async query<T>(db: string, sql: string) {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: db });
    try {
      const [rows] = await c.query(sql);
      return rows as T[];
    } finally {
      await c.end();
    }
  },
};
