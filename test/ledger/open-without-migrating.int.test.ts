/**
 * `openLedger(url, { migrate: false })`, as `licbridge status` opens the ledger, on both backends:
 * a ledger lacking some of this release's migrations (a new one lacks them all) is refused with a
 * message naming how many and which, and is left as it was; a migrated one opens and reads.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

const FIRST = MIGRATIONS[0]?.name as string;
const LAST = MIGRATIONS[MIGRATIONS.length - 1] as (typeof MIGRATIONS)[number];

async function openError(url: string): Promise<unknown> {
  return openLedger(url, { logger: quietLogger, migrate: false }).then(
    async (l) => {
      await l.close();
      return undefined;
    },
    (e: unknown) => e,
  );
}

describe.each(BACKENDS)('opening the ledger without migrating it ($name)', (backend) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('refuses a new ledger, all of its migrations pending, and creates no table', async () => {
    database = await backend.create();
    const error = await openError(database.url);
    expect(error).toMatchObject({ code: 'LB_LEDGER', retryable: false });
    const pending = `ledger: ${MIGRATIONS.length} migration(s) of this release not applied yet (${FIRST} … ${LAST.name}): the first licbridge process of this release that writes (run, worker, …)`;
    if (backend.name === 'postgres') {
      expect((error as Error).message).toBe(`${pending} applies them; see Upgrades in docs/operations.md`);
    } else {
      // A SQLite file that is not there is named, and neither it nor its folder is made.
      const file = database.url.slice('sqlite://'.length);
      expect((error as Error).message).toBe(
        `${pending} creates it; SQLite file ${file} is not there, and a process that only reads the ledger (status, serve, audit, verify) creates none: check ledger.url if one has run already; see Upgrades in docs/operations.md`,
      );
      expect(existsSync(dirname(file))).toBe(false);
      return;
    }
    const raw = rawKnex(database.url);
    try {
      expect(await raw.schema.hasTable('ledger_migrations')).toBe(false);
    } finally {
      await raw.destroy();
    }
  });

  it('refuses a ledger of the previous release and leaves it unmigrated', async () => {
    database = await backend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
    const raw = rawKnex(database.url);
    try {
      await LAST.down(raw);
      await raw('ledger_migrations').where({ name: LAST.name }).delete();
      const before = await raw('ledger_migrations').orderBy('id').pluck('name');

      const error = await openError(database.url);
      expect(error).toMatchObject({ code: 'LB_LEDGER' });
      expect((error as Error).message).toMatch(
        new RegExp(`^ledger: 1 migration\\(s\\) of this release not applied yet \\(${LAST.name}\\): `),
      );
      expect(await raw('ledger_migrations').orderBy('id').pluck('name')).toEqual(before);
    } finally {
      await raw.destroy();
    }
  });

  it('refuses a ledger a newer licbridge migrated, naming what it does not know', async () => {
    database = await backend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
    const raw = rawKnex(database.url);
    try {
      await raw('ledger_migrations').insert({
        name: '999-from-the-future',
        batch: 99,
        migration_time: new Date(),
      });
      const error = await openError(database.url);
      expect(error).toMatchObject({ code: 'LB_LEDGER' });
      expect((error as Error).message).toMatch(/migrated by a newer licbridge/);
      expect((error as Error).message).toContain('999-from-the-future');
    } finally {
      await raw.destroy();
    }
  });

  it('opens a migrated ledger and reads it', async () => {
    database = await backend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
    const ledger = await openLedger(database.url, { logger: quietLogger, migrate: false });
    try {
      expect(await ledger.lastRun('nothing-ran')).toBeNull();
    } finally {
      await ledger.close();
    }
  });
});
