/**
 * Purging the contacts of licenses no longer valid deletes personal data: an act, so a
 * `purge-contacts` entry of the audit chain, written in the purge's transaction, counting what was
 * deleted and naming no contact or holder. A purge that finds nothing to delete is no act and adds
 * no entry. The chain verifies with the entries in it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import type { HolderContact } from '../../catalog/holder-contact.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License, LicenseStatus } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { BACKENDS, withLedger } from '../ledger/backends.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const HOLDER = '海滨小吃店';

function candidate(serial: string, status: LicenseStatus, contact: HolderContact): VersionCandidate {
  const build = (version: number): License => ({
    identifier: ids.identifier(serial, version),
    number: `JY${serial}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2021-01-01',
    validFrom: '2021-01-01',
    validTo: '2026-03-05',
    areaCode: '370211',
    holder: { name: HOLDER, idType: '001', id: '91370211MA3C000000' },
    status,
    surface: { businessItems: ['热食类食品制售'] },
  });
  return {
    licenseId: ids.licenseId(serial),
    sourceKey: serial,
    contentHash: contentHash(build(1)),
    status,
    lineage: {
      pipeline: 'food',
      source: 's',
      sourceKey: serial,
      runId: 'r',
      catalogVersion: 'c',
      mappingVersion: 'm',
    },
    build,
    contact,
  };
}

async function commit(ledger: Ledger, candidates: VersionCandidate[]): Promise<void> {
  const runId = randomUUID();
  await ledger.startRun({ runId, pipeline: 'food', mode: 'incremental' });
  await ledger.commitPage({
    pipeline: 'food',
    runId,
    checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
    rowsRead: candidates.length,
    candidates,
    quarantined: [],
  });
}

describe.each(BACKENDS)('purging holder contacts in the audit chain ($name)', (backend) => {
  it('writes one purge-contacts entry per purge that deletes, with counts only', async () => {
    await withLedger(backend, async (ledger) => {
      const tag = randomBytes(3).toString('hex').toUpperCase();
      const serial = (n: number) => `PC${tag}${String(n).padStart(6, '0')}`;
      await commit(ledger, [
        candidate(serial(1), 'valid', { phone: '13900000001' }),
        candidate(serial(2), 'revoked', { phone: '13900000002' }),
        candidate(serial(3), 'cancelled', { phone: '13900000003', appUserId: 'app-user-3' }),
      ]);
      expect(await ledger.reminders.purgeContacts()).toBe(2);
      expect(await ledger.reminders.purgeContacts()).toBe(0);
      const entries = (await ledger.readAudit({ limit: 1000 })).filter((e) => e.action === 'purge-contacts');
      expect(entries.map((e) => [e.action, e.actor, e.licenseId, e.version, e.digest])).toEqual([
        ['purge-contacts', 'lifecycle:reminders', null, null, null],
      ]);
      expect(JSON.parse(entries[0]?.detail ?? '')).toEqual({ contacts: 2 });
      const text = JSON.stringify(entries);
      for (const personal of ['1390000', 'app-user', HOLDER]) expect(text).not.toContain(personal);
      expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
    });
  });
});
