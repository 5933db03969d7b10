/**
 * A stored text that reads but cannot be hashed (`1e999` reads as Infinity, which the canonical
 * form refuses) is a corrupt text to the reminder sender's read of a version's facts and to the
 * audit's check of a version against the act its entry recorded, as one that does not read is:
 * before, the hash threw out of both — a reminder page's send failed at every run, and the audit
 * check stopped at that version. On both ledgers.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVersionActs } from '../../ledger/audit-version-rows.js';
import { reminderStore } from '../../ledger/reminders.js';
import { BACKENDS } from '../ledger/backends.js';
import { countedDb } from '../ledger/counted-db.js';
import { type ReminderWorkspace, reminderWorkspace } from '../lifecycle/reminders-fixture.js';

describe.each(BACKENDS)('a stored text that cannot be hashed ($name)', (backend) => {
  let ws: ReminderWorkspace;
  let k: Knex;
  let db: ReturnType<typeof countedDb>['db'];

  beforeAll(async () => {
    ws = await reminderWorkspace({ backend });
    ({ knex: k, db } = countedDb(ws.config.ledger.url, backend.name, []));
    await ws.commit(1, '2031-01-10', { phone: '13912340001' });
    await ws.commit(2, '2031-02-10', { phone: '13912340002' });
    // Version 1 of the first license: a number past the doubles put in front of its fields.
    const edited = await k('license_versions')
      .where({ license_id: ws.licenseId(1), version: 1 })
      .update({ payload: k.raw(`'{"zz":1e999,' || substr(payload, 2)`) });
    expect(edited).toBe(1);
  });
  afterAll(async () => {
    await k?.destroy();
    await ws?.close();
  });

  it('is an unreadable version to the reminders, the other read as ever', async () => {
    const facts = await reminderStore(db).versionFacts([
      { licenseId: ws.licenseId(1), version: 1 },
      { licenseId: ws.licenseId(2), version: 1 },
    ]);
    expect(facts.get(`${ws.licenseId(1)}:1`)).toMatchObject({ unreadable: true, number: '' });
    expect(facts.get(`${ws.licenseId(2)}:1`)).toMatchObject({ number: ws.number(2), validTo: '2031-02-10' });
  });

  it('is a problem of the text to the audit act check, the other none', async () => {
    const rows = await readVersionActs(k, (q) =>
      q.whereIn('v.license_id', [ws.licenseId(1), ws.licenseId(2)]),
    );
    const problems = Object.fromEntries(rows.map((r) => [r.licenseId, r.textProblem]));
    expect(problems).toEqual({
      [ws.licenseId(1)]: 'its stored text does not hash',
      [ws.licenseId(2)]: undefined,
    });
  });
});
