/**
 * What a reminder says of its license (number, type and issuer names, validTo) comes from the
 * version it is about. The read took every version's payload of each license, only to keep that
 * one: a license changed a hundred times read a hundred payloads for one reminder. It now reads the
 * (license, version) asked for, and still the right one of several. Counted as the rows the driver
 * hands over, on both backends.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../ledger/db.js';
import { reminderStore } from '../../ledger/reminders.js';
import { BACKENDS } from '../ledger/backends.js';
import { countedDb } from '../ledger/counted-db.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe.each(BACKENDS)('the facts of one version of a license of several ($name)', (backend) => {
  let ws: ReminderWorkspace;
  let k: Knex;
  let db: Db;
  /** The rows of each answer the driver handed over. */
  const answers: number[] = [];

  beforeAll(async () => {
    ws = await reminderWorkspace({ backend });
    ({ knex: k, db } = countedDb(ws.config.ledger.url, backend.name, answers));
  });
  afterAll(async () => {
    await k?.destroy();
    await ws?.close();
  });

  it('reads the version asked for, and only it', async () => {
    const validTos = ['2031-01-10', '2031-02-10', '2031-03-10', '2031-04-10'];
    for (const validTo of validTos) await ws.commit(1, validTo, { phone: '13912340001' });
    await ws.commit(2, '2031-05-10', { phone: '13912340002' });
    const store = reminderStore(db);
    answers.length = 0;
    const facts = await store.versionFacts([
      { licenseId: ws.licenseId(1), version: 2 },
      { licenseId: ws.licenseId(2), version: 1 },
    ]);
    expect(facts.get(`${ws.licenseId(1)}:2`)).toMatchObject({ number: ws.number(1), validTo: '2031-02-10' });
    expect(facts.get(`${ws.licenseId(2)}:1`)).toMatchObject({ number: ws.number(2), validTo: '2031-05-10' });
    expect([...facts.keys()].sort()).toEqual([`${ws.licenseId(1)}:2`, `${ws.licenseId(2)}:1`].sort());
    expect(answers.reduce((a, b) => a + b, 0)).toBe(2);
  });
});
