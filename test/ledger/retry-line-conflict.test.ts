/**
 * The line a retried ledger call logs says what it met: a transaction that conflicted with another
 * (a deadlock, a serialization failure, a lock not granted, SQLite busy) is no ledger away, and
 * `ledger: unavailable` sent an operator to look at a database that answered.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createDb } from '../../ledger/db.js';

function capture() {
  const lines: { msg: string; op?: string }[] = [];
  const log = createLogger({
    level: 'warn',
    destination: {
      write: (s: string) => {
        lines.push(JSON.parse(s) as { msg: string; op?: string });
        return true;
      },
    } as unknown as NodeJS.WritableStream,
  });
  return { lines, log };
}

function failingOnce(code: string, message: string) {
  let tries = 0;
  return async () => {
    tries += 1;
    if (tries === 1) throw Object.assign(new Error(message), { code });
    return tries;
  };
}

function db(log: ReturnType<typeof createLogger>) {
  return createDb({
    knex: {} as never,
    dialect: 'postgres',
    maxParams: 100,
    maxRows: 100,
    log,
    exclusive: (work) => work(),
    retryBudgetMs: 5_000,
  });
}

describe('the line of a retried ledger call', () => {
  it.each([
    ['40P01', 'deadlock detected'],
    ['40001', 'could not serialize access due to concurrent update'],
    ['55P03', 'could not obtain lock on row in relation "licenses"'],
    ['SQLITE_BUSY', 'database is locked'],
  ])('says a transaction conflicted, not that the ledger is away (%s)', async (code, message) => {
    const { lines, log } = capture();
    await expect(db(log).read('purgeContacts', failingOnce(code, message))).resolves.toBe(2);
    expect(lines.map((l) => [l.op, l.msg])).toEqual([
      ['purgeContacts', 'ledger: a transaction met another (a deadlock or a lock it waited for); retrying'],
    ]);
  });

  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'],
    ['57P01', 'terminating connection due to administrator command'],
  ])('says the ledger is away when it is (%s)', async (code, message) => {
    const { lines, log } = capture();
    await expect(db(log).read('getRun', failingOnce(code, message))).resolves.toBe(2);
    expect(lines.map((l) => [l.op, l.msg])).toEqual([['getRun', 'ledger: unavailable; retrying']]);
  });
});
