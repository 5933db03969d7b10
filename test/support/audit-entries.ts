/**
 * An audit chain of `count` linked entries held in memory, and a ledger that reads only it (the
 * two reads an export makes): an export refuses to sign entries that do not follow each other, and
 * a test of how the export writes its files needs no database.
 */
import { auditHash } from '../../ledger/audit-chain.js';
import type { AuditEntry, AuditQuery } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { GENESIS_HASH } from '../../ledger/migrations/004-audit-reconcile.js';

export type AuditChainReader = Pick<Ledger, 'readAudit' | 'auditHeadSeq'>;

/** Entries 1..`count`, each hashed over the one before, the first over the genesis hash. */
export function linkedAuditEntries(count: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let seq = 1, prev = GENESIS_HASH; seq <= count; seq++) {
    const values = {
      seq,
      at: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
      actor: 'pipeline:food-business-licenses',
      action: 'issue',
      license_id: `L-${String(seq).padStart(8, '0')}`,
      version: 1,
      digest: 'a'.repeat(64),
      detail: '{"rows":1}',
      prev_hash: prev,
    };
    prev = auditHash(values);
    const { license_id, prev_hash, ...rest } = values;
    entries.push({ ...rest, licenseId: license_id, prevHash: prev_hash, hash: prev });
  }
  return entries;
}

/** A ledger reading `entries`; its head names the last of them, as a writer leaves it. */
export function auditChainReader(entries: readonly AuditEntry[]): AuditChainReader {
  return {
    auditHeadSeq: async () => entries.length,
    async readAudit(query: AuditQuery) {
      const after = query.afterSeq ?? 0;
      return entries.slice(after, after + (query.limit ?? 1000));
    },
  };
}
