/**
 * The configuration in force, in the audit chain: a `config` entry each time a process that acts
 * starts with an effective configuration whose digest differs from the last one the chain records
 * (pipelines/config-audit.ts computes it). The compare and the append are one transaction that
 * takes the chain head's lock first, so two processes starting at once with one new config record
 * it once: the second finds the first's entry. Migration 047 indexes the `config` entries, so the
 * last one is found without reading the chain back to it.
 */
import { appendAudit } from './audit-chain.js';
import { type AuditRow, toEntry } from './audit-row.js';
import type { AuditEntry } from './audit-types.js';
import type { Db } from './db.js';

export interface ConfigChangeInput {
  /** `operator:<account>` (docs/audit.md). */
  actor: string;
  /** SM3 of the JCS effective configuration. */
  digest: string;
  /** Part id -> its own SM3 digest: ids and digests only. */
  parts: Readonly<Record<string, string>>;
}

export interface ConfigChanges {
  /** Appends a `config` entry unless the last one holds `digest`; returns whether it did. */
  record(input: ConfigChangeInput): Promise<boolean>;
  /**
   * Every `config` entry, in `seq` order, read as `audit show` reads entries (audit-row.ts): one
   * whose column holds what no licbridge writer writes (SQLite keeps any value) is listed with the
   * value as text and the column in `malformed`, not a failure of the whole list naming no entry.
   */
  list(): Promise<AuditEntry[]>;
}

export function configChanges(db: Db): ConfigChanges {
  return {
    record: (input) =>
      db.write('recordConfigChange', async (trx) => {
        // A write first: SQLite's transaction takes its write lock before it reads (db.ts), and
        // PostgreSQL's the head row's, which a second process's compare then waits on.
        await trx('audit_head')
          .where({ id: 1 })
          .update({ seq: trx.ref('seq') });
        const last: { digest: string | null } | undefined = await trx('audit_log')
          .select('digest')
          .where({ action: 'config' })
          .orderBy('seq', 'desc')
          .first();
        if (last?.digest === input.digest) return false;
        await appendAudit(db, trx, [
          { action: 'config', actor: input.actor, digest: input.digest, detail: { ...input.parts } },
        ]);
        return true;
      }),
    list: () =>
      db.read('configChanges', async (k) => {
        const rows: AuditRow[] = await k('audit_log').select('*').where({ action: 'config' }).orderBy('seq');
        return rows.map(toEntry);
      }),
  };
}
