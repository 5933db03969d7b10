/**
 * Migration 027 on a ledger that already holds reminders: each row written before it gets its
 * `target` as `key_target`, so a pending reminder keeps the gateway key it was sent under, and a
 * dropped one written again for a renamed target stays keyed on the target it was first written
 * for. The ledger is migrated up to the migration before 027, the rows written as that release
 * wrote them, and the rest of the migrations run as a newer licbridge opening it runs them.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, MIGRATIONS_TABLE } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';

const BEFORE_027 = MIGRATIONS.slice(
  0,
  MIGRATIONS.findIndex((m) => m.name === '027-reminder-key-target'),
);

/** The ledger as the release before 027 left it. */
async function migrateBefore027(raw: Knex, database: TestDatabase): Promise<void> {
  const schema = new URL(database.url).searchParams.get('schema');
  if (schema) await raw.raw('create schema if not exists ??', [schema]);
  else await mkdir(dirname(database.url.slice('sqlite://'.length)), { recursive: true });
  const source: Knex.MigrationSource<(typeof MIGRATIONS)[number]> = {
    getMigrations: async () => [...BEFORE_027],
    getMigrationName: (m) => m.name,
    getMigration: async (m) => ({ up: m.up, down: m.down }),
  };
  await raw.migrate.latest({
    migrationSource: source as Knex.MigrationSource<unknown>,
    tableName: MIGRATIONS_TABLE,
    ...(schema ? { schemaName: schema } : {}),
  });
}

const oldRow = (licenseId: string, target: string, state: string) => ({
  reminder_key: `${licenseId}:1:30`,
  license_id: licenseId,
  version: 1,
  pipeline: 'food',
  target,
  threshold: 30,
  valid_to: '2026-03-31',
  days_left: 30,
  due_day: '2026-03-01',
  state,
  attempts: 1,
  reason: state === 'dropped' ? 'target-changed' : null,
  created_at: '2026-03-01T01:00:00.000Z',
  updated_at: '2026-03-01T01:00:00.000Z',
});

describe.each(BACKENDS)('migration 027 on reminders written before it ($name)', (backend) => {
  it("copies each row's target into key_target, and a reminder keeps it through a renamed target", async () => {
    const database = await backend.create();
    try {
      const raw = rawKnex(database.url);
      try {
        await migrateBefore027(raw, database);
        expect(BEFORE_027.at(-1)?.name).toBe('026-version-contexts');
        expect(await raw.schema.hasColumn('reminders', 'key_target')).toBe(false);
        await raw('reminders').insert([oldRow('L1', 'sms-a', 'pending'), oldRow('L2', 'sms-b', 'dropped')]);
      } finally {
        await raw.destroy();
      }

      const ledger = await openLedger(database.url, { logger: quietLogger });
      try {
        const after = rawKnex(database.url);
        try {
          const rows: { reminder_key: string; target: string; key_target: string | null }[] = await after(
            'reminders',
          )
            .select('reminder_key', 'target', 'key_target')
            .orderBy('reminder_key');
          expect(rows).toEqual([
            { reminder_key: 'L1:1:30', target: 'sms-a', key_target: 'sms-a' },
            { reminder_key: 'L2:1:30', target: 'sms-b', key_target: 'sms-b' },
          ]);
        } finally {
          await after.destroy();
        }
        // The dropped one is due again after its target was renamed: its gateway key stays the
        // target it was first written for.
        const [again] = await ledger.reminders.open([
          {
            licenseId: 'L2',
            version: 1,
            pipeline: 'food',
            target: 'sms-renamed',
            threshold: 30,
            validTo: '2026-03-31',
            daysLeft: 20,
            dueDay: '2026-03-11',
          },
        ]);
        expect(again).toMatchObject({ state: 'pending', target: 'sms-renamed', keyTarget: 'sms-b' });
        const stored = await ledger.reminders.forLicenses(['L1']);
        expect(stored.map((r) => [r.target, r.keyTarget])).toEqual([['sms-a', 'sms-a']]);
      } finally {
        await ledger.close();
      }
    } finally {
      await database.dispose();
    }
  });
});
