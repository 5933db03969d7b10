/**
 * A poll of `licbridge run` on a ledger whose pool hands no connection over in time: every
 * connection held by a transaction (SQLite's one, or PostgreSQL's last), knex gives up with a
 * `KnexTimeoutError` ("Timeout acquiring a connection"). The ledger is busy, not broken: the
 * poll is a warning and the next one reads again (ledger/sql-errors.ts counts the error
 * retryable, pipelines/run-poll.ts `ledgerAway`). Driven here through a real pool, not an error
 * made by hand.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createDb } from '../../ledger/db.js';
import { KnexLedger } from '../../ledger/knex-ledger.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { pollRun } from '../../pipelines/run-poll.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';

/** A knex on the test's database whose pool holds one connection and waits 200 ms for it. */
function oneConnection(url: string): { k: Knex; schema?: string } {
  const common = {
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 200,
    // knex's own line for each timeout, printed to stdout: the poll's warning says it.
    log: { warn: () => undefined },
  };
  if (url.startsWith('sqlite://')) {
    const filename = url.slice('sqlite://'.length);
    return {
      k: knex({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true, ...common }),
    };
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') as string;
  parsed.searchParams.delete('schema');
  return {
    k: knex({ client: 'pg', connection: parsed.toString(), searchPath: [schema], ...common }),
    schema,
  };
}

describe.each(BACKENDS)('a run’s poll while the ledger’s pool is full ($name)', (backend) => {
  let database: TestDatabase;
  let k: Knex;
  let ledger: KnexLedger;
  const run = { pipeline: 'food-business-licenses', runId: 'run-poll-pool-1' };

  beforeAll(async () => {
    database = await backend.create();
    if (backend.name === 'sqlite')
      await mkdir(dirname(database.url.slice('sqlite://'.length)), { recursive: true });
    const opened = oneConnection(database.url);
    k = opened.k;
    if (opened.schema) await k.raw('create schema if not exists ??', [opened.schema]);
    const db = createDb({
      knex: k,
      dialect: backend.name,
      maxParams: 999,
      maxRows: 500,
      log: quietLogger,
      exclusive: noWriteLock,
      // No second try: the poll fails at the pool's first timeout.
      retryBudgetMs: 0,
    });
    ledger = new KnexLedger(db, opened.schema);
    await ledger.migrate();
    await ledger.startRun({ ...run, mode: 'incremental' });
  });

  afterAll(async () => {
    await k?.destroy();
    await database?.dispose();
  });

  it('is a warning naming the timeout, and the next poll reads the run', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const log = createLogger({ level: 'warn', destination: sink });
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let taken!: () => void;
    const holding = new Promise<void>((r) => {
      taken = r;
    });
    // A transaction holding the pool's one connection until the poll is over.
    const writer = k.transaction(async () => {
      taken();
      await released;
    });
    await holding;
    try {
      await expect(pollRun(ledger, run, 'seal', ['province'], log)).resolves.toBeUndefined();
    } finally {
      release();
      await writer;
    }
    expect(lines.map((l) => l.msg)).toContain('run: progress not read; the next poll reads it again');
    expect(lines.map((l) => String(l.error))).toContainEqual(
      expect.stringMatching(/ledger: (getRun|runProgress) failed: Knex: Timeout acquiring a connection/),
    );
    const polled = await pollRun(ledger, run, 'seal', ['province'], log);
    expect(polled?.run.state).toBe('running');
  });
});
