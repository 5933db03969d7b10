/**
 * A ledger whose pool has a single connection: a page's commit must not read through the ledger
 * (the quarantine's statistics, on PostgreSQL) inside its transaction, waiting for a second
 * connection while it holds the first. With a pool of ten, ten such commits at once (or one, and
 * nine transactions waiting on its row locks) waited out the pool's acquire timeout, and every
 * other ledger call — a run's progress poll — behind them.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { commitPage } from '../../ledger/commit-page.js';
import { createDb, type Db } from '../../ledger/db.js';
import { KnexLedger } from '../../ledger/knex-ledger.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';

/** A knex on the test's database whose pool holds one connection, and gives up waiting after 1 s. */
function oneConnection(url: string): { k: Knex; schema?: string } {
  const pool = { min: 0, max: 1 };
  if (url.startsWith('sqlite://')) {
    const filename = url.slice('sqlite://'.length);
    return {
      k: knex({
        client: 'better-sqlite3',
        connection: { filename },
        useNullAsDefault: true,
        pool,
        acquireConnectionTimeout: 1000,
      }),
    };
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') as string;
  parsed.searchParams.delete('schema');
  return {
    k: knex({
      client: 'pg',
      connection: parsed.toString(),
      searchPath: [schema],
      pool,
      acquireConnectionTimeout: 1000,
    }),
    schema,
  };
}

describe.each(BACKENDS)('ledger on a one-connection pool ($name)', (backend) => {
  let database: TestDatabase;
  let k: Knex;
  let db: Db;
  let ledger: KnexLedger;

  beforeAll(async () => {
    database = await backend.create();
    // openLedger would make the SQLite file's folder; this test opens the database itself.
    if (backend.name === 'sqlite')
      await mkdir(dirname(database.url.slice('sqlite://'.length)), { recursive: true });
    const opened = oneConnection(database.url);
    k = opened.k;
    if (opened.schema) await k.raw('create schema if not exists ??', [opened.schema]);
    db = createDb({
      knex: k,
      dialect: backend.name,
      maxParams: 999,
      maxRows: 500,
      log: quietLogger,
      exclusive: noWriteLock,
      // No second try: a wait for the pool fails the call at its first timeout.
      retryBudgetMs: 0,
    });
    ledger = new KnexLedger(db, opened.schema);
    await ledger.migrate();
  });

  afterAll(async () => {
    await k?.destroy();
    await database?.dispose();
  });

  it('commits a page, the quarantine’s statistics looked at, and counts its run', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const cands = candidates(1, 3, { pipeline });
    const result = await commitPage(db, {
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: '2024-01-01 00:00:00', key: 'k' }),
      rowsRead: cands.length,
      candidates: cands,
      quarantined: [],
    });
    expect(result.created).toHaveLength(3);
    expect(await ledger.runProgress(runId, 'seal', ['province'])).toMatchObject({ created: 3, signed: 0 });
  });
});
