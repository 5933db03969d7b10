/**
 * `objection open` records the version of the license it is opened against (`version_at_open`):
 * the version an uphold must find corrected. It read the license's latest version, then wrote the
 * objection in a transaction of its own: a run committing the license's next version in between
 * left the objection (and its audit entry) naming the version before, and a correction already
 * carried by the sync counted as made after it. The version is taken by the insert itself.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../ledger/db.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openObjection } from '../../ledger/objections.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { meanwhile } from '../support/meanwhile.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, commitOnePage, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

describe.each(BACKENDS)('objection open while a run writes the next version ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let k: Knex;
  let db: Db;

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
      // The run's commit comes before the objection's write, never beside it.
      exclusive: noWriteLock,
    });
  });

  afterAll(async () => {
    await k?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('records the version current when the objection is written, in the objection and its audit entry', async () => {
    const pipeline = uniqueName('p');
    await commitOnePage(ledger, pipeline, uniqueName('run'), [candidate({ n: 1, pipeline, content: 'a' })]);
    const licenseId = candidate({ n: 1, pipeline }).licenseId;
    // A run commits version 2 just before the objection's transaction.
    const racing = meanwhile(
      db,
      'write',
      async () => {
        const r = await commitOnePage(ledger, pipeline, uniqueName('run'), [
          candidate({ n: 1, pipeline, content: 'b' }),
        ]);
        expect(r.created.map((c) => c.version)).toEqual([2]);
      },
      { before: true, when: (op) => op === 'openObjection' },
    );

    const o = await openObjection(racing, {
      licenseId,
      unit: 'unit',
      reason: 'reason',
      actor: 'operator:test',
    });

    expect(o.versionAtOpen).toBe(2);
    const [stored] = await ledger.listObjections({ objectionId: o.objectionId });
    expect(stored?.versionAtOpen).toBe(2);
    const entries = await ledger.readAudit({ limit: 10_000 });
    const opened = entries.filter(
      (e) => e.action === 'objection' && e.licenseId === licenseId && e.detail.includes('"open"'),
    );
    expect(opened.map((e) => e.version)).toEqual([2]);
  });

  it('refuses a license the ledger does not hold and writes nothing', async () => {
    const before = (await ledger.readAudit({ limit: 10_000 })).length;
    await expect(
      openObjection(db, { licenseId: 'no.such.license', unit: 'u', reason: 'r', actor: 'operator:test' }),
    ).rejects.toThrow(/objection: license no\.such\.license is not in the ledger/);
    expect(await ledger.listObjections({ licenseId: 'no.such.license' })).toEqual([]);
    expect((await ledger.readAudit({ limit: 10_000 })).length).toBe(before);
  });
});
