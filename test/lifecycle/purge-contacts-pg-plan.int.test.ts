/**
 * Each tick deletes the contacts of licenses no longer valid (ledger/reminders.ts purgeContacts).
 * On PostgreSQL the one statement doing so was planned as a hash join reading every license not
 * `valid` — on a ledger of years nearly all of them, expired — whatever the few contacts to delete:
 * 800,100 rows and 1.4 s at 1,000,000 licenses and 200,000 contacts, growing with the ledger's
 * years towards `ledger.queryTimeoutMs`, past which every tick's purge failed and no contact was
 * deleted again.
 * It now reads the contacts held a page at a time and looks each one's license up by its key.
 * The plans are PostgreSQL's own, asked of the statements as the purge issued them.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { reminderStore } from '../../ledger/reminders.js';
import { postgresBackend, quietLogger } from '../ledger/backends.js';
import { recordingDb, type Statement } from '../ledger/plan-harness.js';
import { rawKnex } from '../ledger/raw-knex.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Each scan of `licenses` in `node`: its kind, and the rows of the table it read. */
function licenseScans(node: PlanNode): { kind: string; read: number }[] {
  const own =
    node['Relation Name'] === 'licenses' && node['Node Type'] !== 'ModifyTable'
      ? [
          {
            kind: node['Node Type'],
            read: (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'],
          },
        ]
      : [];
  return [...own, ...(node.Plans ?? []).flatMap(licenseScans)];
}

/** The plan of `s` run under EXPLAIN ANALYZE after `settings`, in a transaction rolled back. */
async function analyzed(k: Knex, settings: readonly Statement[], s: Statement): Promise<PlanNode> {
  let plan: PlanNode | undefined;
  await k
    .transaction(async (t) => {
      for (const set of settings) await t.raw(set.sql, [...set.bindings] as Knex.RawBinding[]);
      const res = (await t.raw(`explain (analyze, format json) ${s.sql.replace(/\$\d+/g, '?')}`, [
        ...s.bindings,
      ] as Knex.RawBinding[])) as { rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[] };
      plan = res.rows[0]?.['QUERY PLAN'][0]?.Plan;
      throw new Error('rolled back');
    })
    .catch(() => undefined);
  if (!plan) throw new Error(`no plan for ${s.sql}`);
  return plan;
}

describe('purging contacts (PostgreSQL)', () => {
  it('reads the contacts held and each one’s license by its key, not every license no longer valid', async () => {
    const database = await postgresBackend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.close();
    const k = rawKnex(database.url);
    try {
      const tag = randomBytes(3).toString('hex');
      // 10,000 licenses of years past, expired; 6,000 valid with a contact (two pages of the
      // purge's), 10 of them revoked since, spread over both pages.
      const expired = 10_000;
      const held = 6_000;
      await k.raw(
        `insert into licenses (license_id, pipeline, source_key, latest_version, content_hash, status,
           created_at, updated_at, valid_to)
         select ? || g, 'food', 'K' || g, 1, 'h', case when g <= ? then 'valid' else 'expired' end,
           now(), now(), '2030-01-01'
         from generate_series(1, ?) g`,
        [`L-${tag}-`, held, held + expired],
      );
      await k.raw(
        `insert into holder_contacts (license_id, pipeline, contact, updated_at)
         select ? || g, 'food', '{"phone":"x"}', now() from generate_series(1, ?) g`,
        [`L-${tag}-`, held],
      );
      await k('licenses')
        .whereIn(
          'license_id',
          Array.from({ length: 10 }, (_, i) => `L-${tag}-${(i + 1) * 600}`),
        )
        .update({ status: 'revoked' });
      await k.raw('analyze licenses');
      await k.raw('analyze holder_contacts');

      const seen: Statement[] = [];
      const store = reminderStore(recordingDb(k, 'postgres', seen));
      expect(await store.purgeContacts()).toBe(10);
      expect(Number((await k('holder_contacts').count({ n: '*' }))[0]?.n)).toBe(held - 10);

      const settings = seen.filter((s) => /^\s*set\b/i.test(s.sql));
      const reading = seen.filter((s) => /^\s*(select|delete)\b/i.test(s.sql) && /\blicenses\b/i.test(s.sql));
      expect(reading.length).toBeGreaterThan(0);
      for (const s of reading) {
        const scans = licenseScans(await analyzed(k, settings, s));
        const shown = `${s.sql.slice(0, 200)}: ${JSON.stringify(scans)}`;
        expect(scans.length, shown).toBeGreaterThan(0);
        for (const scan of scans) {
          expect(scan.kind, shown).toMatch(/^(Index Scan|Index Only Scan|Bitmap Heap Scan)$/);
          expect(scan.read, shown).toBeLessThanOrEqual(5_000);
        }
      }
    } finally {
      await k.destroy();
      await database.dispose();
    }
  });
});
