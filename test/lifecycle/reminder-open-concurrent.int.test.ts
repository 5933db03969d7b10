/**
 * Two ticks opening the same reminder at once (two `lifecycle run`s, a tick beside a run by hand),
 * one reading the license at version 3 and the other at version 4 (a version committed between
 * their reads). Each looked for the key kept for the reminder's (license, validTo, threshold)
 * before either had written it, found none, and wrote its own (`L:3:30`, `L:4:30`): two pending
 * reminders, each with its own idempotency key, and the holder reminded twice. On PostgreSQL the
 * second now waits for the first to commit and writes under its key; on SQLite writers are one at
 * a time. Both calls answer the one row.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import type { NewReminder } from '../../ledger/reminders.js';
import { BACKENDS } from '../ledger/backends.js';
import { ledgerPerBackend } from '../ledger/ledger-per-backend.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { until } from '../support/until.js';

describe.each(BACKENDS)('two ticks opening one reminder at once ($name)', (backend) => {
  const opened = ledgerPerBackend(backend);
  const tag = randomBytes(4).toString('hex');
  const due = (n: number, version: number): NewReminder => ({
    licenseId: `L${tag}-${n}`,
    version,
    pipeline: 'food',
    target: 'sms',
    threshold: 30,
    validTo: '2026-03-31',
    daysLeft: 30,
    dueDay: '2026-03-01',
  });
  const keysOf = async (n: number) =>
    (await opened.ledger.reminders.forLicenses([`L${tag}-${n}`])).map((r) => r.key).sort();

  it('writes one reminder, under one key, whatever version each read', async () => {
    const [a, b] = await Promise.all([
      opened.ledger.reminders.open([due(1, 3)]),
      opened.ledger.reminders.open([due(1, 4)]),
    ]);
    expect(await keysOf(1)).toHaveLength(1);
    expect(a?.[0]?.key).toBe(b?.[0]?.key);
  });

  // Only PostgreSQL lets both read before either writes: SQLite's writers are one at a time, the
  // case above covers it. Defined for PostgreSQL only, rather than skipped on SQLite.
  if (backend.name === 'postgres') {
    it('writes one when both have read before either writes (PostgreSQL)', async () => {
      // Inserts into `reminders` wait behind a SHARE lock, reads do not: both opens read the
      // reminders kept before either can write, as two ticks on two hosts may.
      const raw = rawKnex(opened.database.url);
      let locker: Knex.Transaction | undefined;
      try {
        locker = await raw.transaction();
        await locker.raw('lock table reminders in share mode');
        const lockerPid = Number(
          ((await locker.raw('select pg_backend_pid() as pid')) as { rows: { pid: number }[] }).rows[0]?.pid,
        );
        const opens = Promise.all([
          opened.ledger.reminders.open([due(2, 3)]),
          opened.ledger.reminders.open([due(2, 4)]),
        ]);
        // Both held up behind the lock, directly or behind the other open.
        await until(
          async () => {
            const { rows } = (await raw.raw(
              `select count(*)::int as n from pg_stat_activity w
                where ? = any(pg_blocking_pids(w.pid))
                   or exists (select 1 from unnest(pg_blocking_pids(w.pid)) b where ? = any(pg_blocking_pids(b)))`,
              [lockerPid, lockerPid],
            )) as { rows: { n: number }[] };
            return (rows[0]?.n ?? 0) >= 2;
          },
          40_000,
          { what: 'both opens waiting' },
        );
        await locker.commit();
        locker = undefined;
        const [a, b] = await opens;
        expect(await keysOf(2)).toHaveLength(1);
        expect(a?.[0]?.key).toBe(b?.[0]?.key);
      } finally {
        await locker?.rollback();
        await raw.destroy();
      }
    });
  }
});
