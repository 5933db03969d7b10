/**
 * PostgreSQL's class 08 is "connection exception", and a lost connection is worth another try;
 * 08P01 (protocol_violation) is in that class but is the server refusing the message it got —
 * above all a statement bound with more than 65,535 parameters, which is sent again just as
 * wrongly. Retried, the call spent the whole retry budget (120 s by default) before failing.
 */
import { Writable } from 'node:stream';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { createDb, type Db } from '../../ledger/db.js';
import { PG_URL } from './backends.js';

describe('a PostgreSQL protocol violation', () => {
  let raw: Knex;
  let db: Db;
  /** The ledger's log lines: a retried call logs a line ending `; retrying` before each try. */
  const lines: string[] = [];

  beforeAll(() => {
    raw = knex({ client: 'pg', connection: PG_URL, pool: { min: 0, max: 2 } });
    db = createDb({
      knex: raw,
      dialect: 'postgres',
      maxParams: 65_535,
      maxRows: 1000,
      log: createLogger({
        level: 'warn',
        destination: new Writable({
          write(chunk: Buffer, _encoding, done) {
            lines.push(...chunk.toString().split('\n').filter(Boolean));
            done();
          },
        }),
      }),
      exclusive: (work) => work(),
      retryBudgetMs: 20_000,
    });
  });
  afterAll(async () => {
    await raw?.destroy();
  });

  it('fails at once, not retryable, and the connection still answers', async () => {
    const n = 70_000;
    const sql = `select 1 where 1 in (${Array.from({ length: n }, () => '?').join(', ')})`;
    const error = await db.read('tooManyParameters', (k) => k.raw(sql, new Array(n).fill(1))).catch((e) => e);
    expect(isLicbridgeError(error)).toBe(true);
    expect(error.message).toContain('08P01');
    expect(error.retryable).toBe(false);
    // Tried once: no try again was logged (retried, the call spent the 20 s budget).
    expect(lines.filter((l) => l.includes('retrying'))).toEqual([]);
    const after = await db.read('afterwards', (k) => k.raw('select 1 as x'));
    expect(after.rows).toEqual([{ x: 1 }]);
  });
});
