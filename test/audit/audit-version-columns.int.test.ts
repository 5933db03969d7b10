/**
 * A version's entry records more of it than its license, number and content hash: the action is
 * the version's operation (the deliver stage sends the row's own `operation` to the platforms),
 * and the content hash is SM3 over the license text stored (its status a member of it). Rewriting
 * a version's operation (issue → revoke), its status or its stored text in the database left every
 * entry's digest fitting, and verify passed. It now names the entry, for a batch's versions, a
 * version alone in its entry, and a repair's (named by license and version number). Both ledgers.
 */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import type { AuditEntry } from '../../ledger/audit-types.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, commitOnePage, revokingRepair } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

/** The fixture's candidate with the content hash a pipeline writes: SM3 of its license text. */
function hashed(c: VersionCandidate): VersionCandidate {
  return { ...c, contentHash: contentHash(c.build(1)) };
}

describe.each(BACKENDS)(
  'audit verify binds a version’s operation, status and stored text ($name)',
  (backend) => {
    let database: TestDatabase;
    let ledger: Ledger;
    let raw: Knex;
    /** Version ids of a page of three (one batch entry), of a page of one (an entry of its own), and of a repair. */
    let batchIds: number[];
    let singleId: number;
    let repairId: number;
    let entries: AuditEntry[];
    /** Columns put back after each test, as they were. */
    let saved: { version_id: unknown; operation: string; status: string; payload: string }[];

    beforeAll(async () => {
      database = await backend.create();
      ledger = await openLedger(database.url, { logger: quietLogger });
      raw = rawKnex(database.url);
      const batch = await commitOnePage(
        ledger,
        'cols',
        'run-1',
        candidates(1, 3, { pipeline: 'cols' }).map(hashed),
      );
      batchIds = batch.created.map((c) => c.versionId);
      const [lone] = candidates(4, 1, { pipeline: 'cols' }).map(hashed);
      const single = await commitOnePage(ledger, 'cols', 'run-2', [lone as VersionCandidate]);
      singleId = (single.created[0] as { versionId: number }).versionId;
      const repair = revokingRepair(lone as VersionCandidate);
      const [rv] = repair.versions;
      const build = rv?.build as (version: number) => ReturnType<VersionCandidate['build']>;
      const [created] = await ledger.appendRepairVersions({
        ...repair,
        versions: [{ ...(rv as (typeof repair.versions)[number]), contentHash: contentHash(build(2)) }],
      });
      repairId = (created as { versionId: number }).versionId;
      entries = await ledger.readAudit({ limit: 1000 });
      saved = await raw('license_versions').select('version_id', 'operation', 'status', 'payload');
    });
    afterEach(async () => {
      for (const r of saved) {
        await raw('license_versions')
          .where({ version_id: r.version_id })
          .update({ operation: r.operation, status: r.status, payload: r.payload });
      }
    });
    afterAll(async () => {
      await raw?.destroy();
      await ledger?.close();
      await database?.dispose();
    });

    /** The seq of the entry that records version `id`: a batch's (its ranges), or one naming it. */
    const entryOf = (id: number): number => {
      if (batchIds.includes(id)) {
        return (entries.find((e) => e.action === 'issue' && e.licenseId === null) as AuditEntry).seq;
      }
      if (id === singleId) {
        return (entries.find((e) => e.action === 'issue' && e.licenseId !== null) as AuditEntry).seq;
      }
      // The repair's two entries: `repair`, then its operation's (`revoke`), naming license and version.
      return (entries.find((e) => e.action === 'revoke') as AuditEntry).seq;
    };

    const expectNamed = async (id: number) => {
      const result = await ledger.verifyAudit({ pageSize: 2 });
      expect(result).toMatchObject({ ok: false, firstBad: { seq: entryOf(id), kind: 'acts-differ' } });
      if (!result.ok) expect(result.firstBad.message).toContain(`version id ${id}`);
    };

    it('verifies the ledger as written', async () => {
      expect(entries.some((e) => e.action === 'repair')).toBe(true);
      expect(await ledger.verifyAudit({ pageSize: 2 })).toMatchObject({ ok: true });
    });

    it('names the entry of a version whose operation was rewritten (issue → revoke)', async () => {
      for (const id of [batchIds[1] as number, singleId]) {
        await raw('license_versions').where({ version_id: id }).update({ operation: 'revoke' });
        await expectNamed(id);
        await raw('license_versions').where({ version_id: id }).update({ operation: 'issue' });
      }
      await raw('license_versions').where({ version_id: repairId }).update({ operation: 'issue' });
      await expectNamed(repairId);
    });

    it('names the entry of a version whose status was rewritten', async () => {
      for (const id of [batchIds[2] as number, singleId]) {
        await raw('license_versions').where({ version_id: id }).update({ status: 'revoked' });
        await expectNamed(id);
        await raw('license_versions').where({ version_id: id }).update({ status: 'valid' });
      }
      await raw('license_versions').where({ version_id: repairId }).update({ status: 'valid' });
      await expectNamed(repairId);
    });

    it('names the entry of a version whose stored license text was rewritten, its content hash left', async () => {
      for (const id of [batchIds[0] as number, singleId, repairId]) {
        const row = saved.find((r) => Number(r.version_id) === id) as { payload: string };
        const changed = row.payload.replace('"number":"JY', '"number":"JX');
        expect(changed).not.toBe(row.payload);
        await raw('license_versions').where({ version_id: id }).update({ payload: changed });
        await expectNamed(id);
        await raw('license_versions').where({ version_id: id }).update({ payload: row.payload });
      }
    });
  },
);
