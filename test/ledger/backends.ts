/**
 * The two ledger backends every ledger test runs against. Each test file gets its own database:
 * a fresh SQLite file in a temp folder, or a fresh PostgreSQL schema dropped afterwards. When its
 * ledger is first migrated, either is filled from a template of what the migrations leave instead
 * of running them all again (./migrator-shortcut.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { markPgLedger, unmarkPgLedger } from './pg-ledger-template.js';
import { markSqliteLedger, unmarkSqliteLedger } from './sqlite-ledger-template.js';

export const PG_URL = process.env.LICBRIDGE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

export const sqliteBackend: Backend = {
  name: 'sqlite',
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'lb-ledger-'));
    // A nested folder that does not exist yet: openLedger must create it.
    const file = join(dir, 'data', 'ledger.db');
    await markSqliteLedger(file);
    return {
      url: `sqlite://${file}`,
      async dispose() {
        unmarkSqliteLedger(file);
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresBackend: Backend = {
  name: 'postgres',
  async create() {
    const schema = `lb_${randomBytes(6).toString('hex')}`;
    await markPgLedger(PG_URL, schema);
    return {
      url: `${PG_URL}?schema=${schema}`,
      async dispose() {
        unmarkPgLedger(schema);
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

export const BACKENDS: readonly Backend[] = [sqliteBackend, postgresBackend];

export const quietLogger = createLogger({ level: 'silent' });

/** Runs `body` with a ledger opened on a fresh database of `backend`; closes and disposes of both after. */
export async function withLedger(backend: Backend, body: (ledger: Ledger) => Promise<void>): Promise<void> {
  const db = await backend.create();
  const ledger = await openLedger(db.url, { logger: quietLogger });
  try {
    await body(ledger);
  } finally {
    await ledger.close();
    await db.dispose();
  }
}
