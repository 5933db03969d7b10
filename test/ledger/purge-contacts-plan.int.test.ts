/**
 * Each tick deletes the contacts of licenses no longer valid (ledger/reminders.ts purgeContacts).
 * It found them by reading every license not `valid` — expired, revoked, cancelled: on a ledger of
 * years, nearly all of them — and on SQLite did so holding the write lock: 1.1 s a tick at
 * 1,000,000 licenses with 200,000 contacts, every page commit of every run waiting meanwhile. It
 * now reads the contacts held (those of valid licenses and the few just ended) and looks each
 * license up by its key. The plan is SQLite's own, asked of the statement as the purge issued it.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { reminderStore } from '../../ledger/reminders.js';
import { quietLogger, sqliteBackend } from './backends.js';
import { recordingDb, type Statement } from './plan-harness.js';
import { rawKnex } from './raw-knex.js';

describe('purging contacts (SQLite)', () => {
  it('reads the contacts held and each one’s license by its key, not every license no longer valid', async () => {
    const database = await sqliteBackend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.close();
    const k = rawKnex(database.url);
    try {
      const tag = randomBytes(3).toString('hex');
      const now = new Date().toISOString();
      const statuses = ['valid', 'expired', 'revoked', 'expired', 'cancelled', 'valid'];
      const ids = statuses.map((_, i) => `L-${tag}-${i}`);
      await k('licenses').insert(
        statuses.map((status, i) => ({
          license_id: ids[i],
          pipeline: 'food',
          source_key: `K${i}`,
          latest_version: 1,
          content_hash: 'h',
          status,
          created_at: now,
          updated_at: now,
          valid_to: '2030-01-01',
        })),
      );
      // Contacts of licenses 0, 1 and 2: the valid one is kept, the others purged.
      await k('holder_contacts').insert(
        [0, 1, 2].map((i) => ({
          license_id: ids[i],
          pipeline: 'food',
          contact: '{"phone":"x"}',
          updated_at: now,
        })),
      );
      const seen: Statement[] = [];
      const store = reminderStore(recordingDb(k, 'sqlite', seen));
      expect(await store.purgeContacts()).toBe(2);
      expect((await k('holder_contacts').select('license_id')) as { license_id: string }[]).toEqual([
        { license_id: ids[0] },
      ]);

      const purge = seen.find((s) => /^\s*delete\s+from\s+[`"]?holder_contacts/i.test(s.sql));
      expect(purge).toBeDefined();
      const plan = (
        (await k.raw(`explain query plan ${purge?.sql}`, [...(purge?.bindings ?? [])] as never[])) as {
          detail: string;
        }[]
      ).map((r) => r.detail);
      const ofLicenses = plan.filter((d) => /^(SCAN|SEARCH) (licenses|l)\b/.test(d));
      expect(ofLicenses.length, plan.join('\n')).toBeGreaterThan(0);
      for (const d of ofLicenses) expect(d, plan.join('\n')).toMatch(/^SEARCH .*\(license_id=\?\)/);
    } finally {
      await k.destroy();
      await database.dispose();
    }
  });
});
