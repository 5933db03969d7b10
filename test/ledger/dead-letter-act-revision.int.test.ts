/**
 * `dlq replay` and `dlq discard` act on the dead letters they read, and log each with the reasons
 * read (`dead_letter_actions`). Between that read and the write, another operator may replay the
 * delivery and its job dead-letter it again, for other reasons: the second dead letter is not the
 * one read, and is left as it is — neither discarded nor sent again under the first one's reasons.
 * A dead letter nobody touched meanwhile is acted on as before.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../ledger/db.js';
import { discardDeadLetters, replayDeadLetters } from '../../ledger/dead-letters.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { meanwhile } from '../support/meanwhile.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { newVersions, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

describe.each(BACKENDS)('dead-letter actions on the dead letter read ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let k: Knex;
  let db: Db;
  let n = 0;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    k = rawKnex(database.url);
    db = createDb({
      knex: k,
      dialect: backend.name,
      maxParams: 999,
      maxRows: 500,
      log: quietLogger,
      // The other operator's writes run before this one's write, never beside it.
      exclusive: noWriteLock,
    });
  });

  afterAll(async () => {
    await k?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  /** A delivery dead-lettered for `reason`, and its key. */
  async function deadLetter(reason: string): Promise<string> {
    n += 1;
    const ids = await newVersions(ledger, uniqueName('dl-act'), n, 1);
    const [row] = await ledger.ensureDeliveries(ids, 'province');
    const key = row?.key ?? '';
    await ledger.recordDeliveryOutcomes([{ key, state: 'dead', reasons: [reason] }]);
    return key;
  }

  /** `db`, where another operator replays `key` and its job dead-letters it again before `op` writes. */
  function dealtWithMeanwhile(key: string, op: string): Db {
    return meanwhile(
      db,
      'write',
      async () => {
        expect(await ledger.replayDeadLetters([key], 'platform fixed')).toHaveLength(1);
        await ledger.recordDeliveryOutcomes([
          { key, state: 'dead', reasons: ['platform: holder id not found'], from: 'pending' },
        ]);
      },
      { before: true, when: (name) => name === op },
    );
  }

  async function actions(key: string): Promise<{ action: string; reasons: string }[]> {
    return k('dead_letter_actions').where({ delivery_key: key }).orderBy('id').select('action', 'reasons');
  }

  for (const [op, act] of [
    ['discardDeadLetters', discardDeadLetters],
    ['replayDeadLetters', replayDeadLetters],
  ] as const) {
    it(`${op} leaves a dead letter replayed and dead-lettered again since its read`, async () => {
      const key = await deadLetter('platform: zzbh not in the catalog');
      const moved = await act(dealtWithMeanwhile(key, op), [key], 'as read');

      expect(moved).toEqual([]);
      const [after] = await ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'dead', reasons: ['platform: holder id not found'] });
      // Only the other operator's replay is logged, with the reasons it acted on.
      expect(await actions(key)).toEqual([
        { action: 'replay', reasons: JSON.stringify(['platform: zzbh not in the catalog']) },
      ]);
    });
  }

  it('acts on a dead letter nobody touched since its read', async () => {
    const key = await deadLetter('platform: zzbh not in the catalog');
    expect((await discardDeadLetters(db, [key], 'closed')).map((d) => d.key)).toEqual([key]);
    const [after] = await ledger.getDeliveries([key]);
    expect(after?.state).toBe('discarded');
  });
});
