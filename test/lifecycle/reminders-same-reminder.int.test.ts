/**
 * The ledger writes a reminder due again under the key of the row it keeps for the same (license,
 * validTo, threshold), whatever version each was written for, on both backends: the gateway's
 * idempotency key stays the first one. Rows written before this (one a version, two under the
 * same reminder after a suspension) keep their keys; another validTo is another reminder.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import type { NewReminder } from '../../ledger/reminders.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';

describe.each(BACKENDS)('the same reminder under any version ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(4).toString('hex');
  const due = (n: number, version: number, validTo = '2026-03-31'): NewReminder => ({
    licenseId: `L${tag}-${n}`,
    version,
    pipeline: 'food',
    target: 'sms',
    threshold: 30,
    validTo,
    daysLeft: 30,
    dueDay: '2026-03-01',
  });
  /** Opens `r` and closes it `dropped` (a suspension) unsent. */
  async function openAndDrop(r: NewReminder): Promise<string> {
    const [row] = await ledger.reminders.open([r]);
    const key = row?.key ?? '';
    const outcome = {
      key,
      state: 'dropped' as const,
      reason: 'license-not-valid',
      actor: 'target:sms',
      digest: 'd',
    };
    expect(await ledger.reminders.record([outcome], 'tick:test')).toBe(1);
    return key;
  }
  const rowsOf = async (n: number) =>
    (await ledger.reminders.forLicenses([`L${tag}-${n}`]))
      .map((r) => [r.key, r.version, r.validTo, r.state])
      .sort();

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('dropped at version 1 and due again at version 3: pending again under its first key', async () => {
    const first = await openAndDrop(due(1, 1));
    const [again] = await ledger.reminders.open([due(1, 3)]);
    expect(again).toMatchObject({ key: first, version: 3, state: 'pending', keyTarget: 'sms' });
    expect(await rowsOf(1)).toEqual([[`L${tag}-1:1:30`, 3, '2026-03-31', 'pending']]);
  });

  /** A second row of license `n`'s reminder, at `version`, as the earlier release wrote it after a resume. */
  async function legacyRow(n: number, version: number, state: string): Promise<void> {
    const raw = rawKnex(database.url);
    try {
      const [row] = await raw('reminders').where({ reminder_key: `L${tag}-${n}:1:30` });
      await raw('reminders').insert({ ...row, reminder_key: `L${tag}-${n}:${version}:30`, version, state });
    } finally {
      await raw.destroy();
    }
  }

  it('two rows of one reminder from before, both dropped: the first is pending again, the other left', async () => {
    await openAndDrop(due(2, 1));
    await legacyRow(2, 3, 'dropped');
    const [again] = await ledger.reminders.open([due(2, 5)]);
    expect(again).toMatchObject({ key: `L${tag}-2:1:30`, version: 5, state: 'pending' });
    expect(await rowsOf(2)).toEqual([
      [`L${tag}-2:1:30`, 5, '2026-03-31', 'pending'],
      [`L${tag}-2:3:30`, 3, '2026-03-31', 'dropped'],
    ]);
  });

  it('two rows of one reminder from before, the later one sent: that one is the reminder', async () => {
    await openAndDrop(due(5, 1));
    await legacyRow(5, 3, 'sent');
    const [again] = await ledger.reminders.open([due(5, 5)]);
    expect(again).toMatchObject({ key: `L${tag}-5:3:30`, version: 3, state: 'sent' });
    expect(await rowsOf(5)).toEqual([
      [`L${tag}-5:1:30`, 1, '2026-03-31', 'dropped'],
      [`L${tag}-5:3:30`, 3, '2026-03-31', 'sent'],
    ]);
  });

  it('kept sent: opening it again at another version writes nothing', async () => {
    const [row] = await ledger.reminders.open([due(3, 1)]);
    const sent = {
      key: row?.key ?? '',
      state: 'sent' as const,
      messageId: 'm',
      actor: 'target:sms',
      digest: 'd',
    };
    await ledger.reminders.record([sent], 'tick:test');
    const [again] = await ledger.reminders.open([due(3, 4)]);
    expect(again).toMatchObject({ key: `L${tag}-3:1:30`, version: 1, state: 'sent' });
    expect(await rowsOf(3)).toEqual([[`L${tag}-3:1:30`, 1, '2026-03-31', 'sent']]);
  });

  it('another validTo is another reminder, under the key of its own version', async () => {
    await openAndDrop(due(4, 1));
    const [moved] = await ledger.reminders.open([due(4, 3, '2026-04-01')]);
    expect(moved).toMatchObject({ key: `L${tag}-4:3:30`, state: 'pending' });
    expect(await rowsOf(4)).toEqual([
      [`L${tag}-4:1:30`, 1, '2026-03-31', 'dropped'],
      [`L${tag}-4:3:30`, 3, '2026-04-01', 'pending'],
    ]);
  });
});
