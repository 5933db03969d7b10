/**
 * `status`'s objection-undone finding (pipelines/observability/objection-attention.ts) reads the
 * versions of a page of upheld objections' licenses together, not license by license: a status
 * look, and every /metrics snapshot, pays a round trip per page of versions, not two per upheld
 * objection whose license moved on (as every license does once the tick expires it).
 */
import { expect, it } from 'vitest';
import type { License, LicenseOperation, LicenseStatus } from '../../catalog/license.js';
import type { Ledger, StoredVersion, VersionPageQuery } from '../../ledger/ledger.js';
import type { ObjectionQuery, StoredObjection } from '../../ledger/objections.js';
import { objectionUndoneAttention } from '../../pipelines/observability/objection-attention.js';

const base = {
  number: 'JY1',
  type: { name: '食品经营许可证', code: '11370200MB12345674001' },
  issuer: { name: '某局', code: '11370211MB12345672' },
  issueDate: '2021-01-01',
  validFrom: '2021-01-01',
  validTo: '2026-01-01',
  areaCode: '370211',
  holder: { name: 'h', idType: '001', id: '91370211MA3C000000' },
} as const;

/** Licenses L0..Ln: 1 objected to, 2 the correction, then `undo` (3 puts the objected content back) or an expiry. */
function fixture(n: number): { objections: StoredObjection[]; versions: StoredVersion[] } {
  const objections: StoredObjection[] = [];
  const versions: StoredVersion[] = [];
  let versionId = 0;
  for (let i = 0; i < n; i++) {
    const licenseId = `L${i}`;
    const undo = i % 2 === 0;
    const steps: [LicenseOperation, LicenseStatus, string][] = [
      ['issue', 'valid', 'old'],
      ['update', 'valid', 'new'],
      undo ? ['update', 'valid', 'old'] : ['expire', 'expired', 'new'],
    ];
    steps.forEach(([operation, status, premises], k) => {
      versionId += 1;
      const payload = { ...base, identifier: `${licenseId}.${k + 1}`, status, surface: { premises } };
      versions.push({
        versionId,
        licenseId,
        version: k + 1,
        identifier: payload.identifier,
        contentHash: '-',
        status,
        operation,
        payload: payload as unknown as License,
        lineage: {} as StoredVersion['lineage'],
        createdAt: new Date(0),
      });
    });
    objections.push({
      objectionId: i + 1,
      licenseId,
      pipeline: 'p',
      versionAtOpen: 1,
      state: 'upheld',
      correctedVersion: 2,
    } as StoredObjection);
  }
  return { objections, versions };
}

function ledgerOf(data: ReturnType<typeof fixture>): { ledger: Ledger; versionReads: () => number } {
  let reads = 0;
  const ledger = {
    async listObjections(q: ObjectionQuery) {
      return data.objections
        .filter((o) => q.afterId === undefined || o.objectionId > q.afterId)
        .slice(0, q.limit ?? 1000);
    },
    async versionPage(q: VersionPageQuery) {
      reads += 1;
      return data.versions
        .filter(
          (v) => v.versionId > q.afterVersionId && (!q.licenseIds || q.licenseIds.includes(v.licenseId)),
        )
        .slice(0, q.limit);
    },
  } as unknown as Ledger;
  return { ledger, versionReads: () => reads };
}

it('finds every undone correction, reading the versions a page of licenses at a time', async () => {
  const data = fixture(40);
  const { ledger, versionReads } = ledgerOf(data);
  const found = await objectionUndoneAttention(ledger);
  expect(found.map((a) => a.message.split(':')[0])).toEqual(
    data.objections.filter((_, i) => i % 2 === 0).map((o) => `objection ${o.objectionId} (rules art. 16)`),
  );
  for (const a of found) expect(a.message).toContain('was undone by version 3');
  // 120 versions of 40 licenses: one read, where license by license took 80.
  expect(versionReads()).toBe(1);
});

it('pages through more versions than one read returns, and more objections than one page', async () => {
  const data = fixture(1201);
  const { ledger, versionReads } = ledgerOf(data);
  const found = await objectionUndoneAttention(ledger);
  expect(found).toHaveLength(601);
  expect(found.at(-1)?.message).toContain('objection 1201 (rules art. 16)');
  expect(versionReads()).toBeLessThan(20);
});

it('says nothing of a license ended since: its source row gone, the license revoked or cancelled', async () => {
  const data = fixture(4);
  // L0 and L2 are undone; L0 is then revoked (its row deleted at the source, repaired as revoke).
  const last = data.versions.filter((v) => v.licenseId === 'L0').at(-1) as StoredVersion;
  data.versions.push({
    ...last,
    versionId: 1000,
    version: 4,
    status: 'revoked',
    operation: 'revoke',
    payload: { ...last.payload, status: 'revoked' },
  });
  const found = await objectionUndoneAttention(ledgerOf(data).ledger);
  expect(found.map((a) => a.message.split(':')[0])).toEqual(['objection 3 (rules art. 16)']);
  expect(found[0]?.message).toContain('an ended license clears this line');
});
