/**
 * Entries cut off the chain's end, the head set back: a reminder's final state (sent, skipped,
 * dropped) is written in the transaction of its `remind` entry (ledger/reminders.ts `record`), so
 * the reminder recorded last must be in the chain the head names. A cut from its entry on fails
 * as `head-mismatch`, naming the reminder by its key and state. Both ledgers.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, commitOnePage } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

describe.each(BACKENDS)('audit verify on a chain cut after reminders ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let entries: AuditEntry[];
  const keys: string[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    const page = await commitOnePage(ledger, 'rcut', 'run-1', candidates(1, 2, { pipeline: 'rcut' }));
    const due = (i: number) => ({
      licenseId: (page.created[i] as { licenseId: string }).licenseId,
      version: 1,
      pipeline: 'rcut',
      target: 'sms',
      threshold: 30,
      validTo: '2027-03-05',
      daysLeft: 25,
      dueDay: '2027-02-08',
    });
    const digest = 'a'.repeat(64);
    for (const [i, state] of (['sent', 'skipped'] as const).entries()) {
      const [opened] = await ledger.reminders.open([due(i)]);
      const key = (opened as { key: string }).key;
      keys.push(key);
      await ledger.reminders.record(
        [
          state === 'sent'
            ? { key, state, messageId: `m-${i}`, actor: 'target:sms', digest }
            : { key, state, reason: 'no contact', actor: 'target:sms', digest },
        ],
        'tick:test',
      );
    }
    entries = await ledger.readAudit({ limit: 1000 });
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  /** Verify with the entries from `from` on cut and the head set back; the chain is put back after. */
  const verifyCut = async (from: number) => {
    const cut: Record<string, unknown>[] = await raw('audit_log').where('seq', '>=', from).orderBy('seq');
    const head = await raw('audit_head').where({ id: 1 }).first();
    const before = entries.find((e) => e.seq === from - 1) as AuditEntry;
    await raw('audit_log').where('seq', '>=', from).del();
    await raw('audit_head')
      .where({ id: 1 })
      .update({ seq: from - 1, hash: before.hash });
    try {
      return await ledger.verifyAudit({ pageSize: 2 });
    } finally {
      await raw('audit_log').insert(cut);
      await raw('audit_head').where({ id: 1 }).update({ seq: head.seq, hash: head.hash });
    }
  };

  it('verifies the chain as written', async () => {
    expect(entries.map((e) => e.action)).toEqual(['read', 'issue', 'remind', 'remind']);
    expect(await ledger.verifyAudit({ pageSize: 2 })).toMatchObject({ ok: true });
  });

  it.each([
    ['the last reminder recorded', 4, 1, 'skipped'],
    ['both reminders', 3, 1, 'skipped'],
  ])('fails a chain cut from %s on, naming it', async (_what, seq, index, state) => {
    const result = await verifyCut(seq);
    expect(result).toMatchObject({ ok: false, entries: seq - 1, firstBad: { seq, kind: 'head-mismatch' } });
    if (!result.ok) expect(result.firstBad.message).toContain(`reminder ${keys[index]} (${state})`);
    expect(await ledger.verifyAudit({ pageSize: 2 })).toMatchObject({ ok: true });
  });
});
