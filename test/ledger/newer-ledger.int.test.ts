/**
 * A ledger migrated by a newer licbridge is refused by an older one, with a message that says so
 * and names what it does not know; nothing of the ledger changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

describe.each(BACKENDS)('a ledger from a newer licbridge ($name)', (backend) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('is refused as newer, naming the migration this version lacks', async () => {
    database = await backend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
    const raw = rawKnex(database.url);
    try {
      // What a later release leaves after its own migration.
      await raw('ledger_migrations').insert({
        name: '999-from-the-future',
        batch: 99,
        migration_time: new Date(),
      });
      const before = await raw('ledger_migrations').count({ n: '*' });

      const error = await openLedger(database.url, { logger: quietLogger }).then(
        async (l) => {
          await l.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'LB_LEDGER', retryable: false });
      expect((error as Error).message).toMatch(/migrated by a newer licbridge/);
      expect((error as Error).message).toContain('999-from-the-future');
      expect(await raw('ledger_migrations').count({ n: '*' })).toEqual(before);
    } finally {
      await raw.destroy();
    }
  });
});
