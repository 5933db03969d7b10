/** Candidates and signatures shaped like the ones pipelines hand the ledger, and rows as it stores them. */
import { randomUUID } from 'node:crypto';
import type { License, LicenseStatus } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { RepairVersionsInput } from '../../ledger/audit-types.js';
import type { Ledger, StoredSignature, VersionCandidate } from '../../ledger/ledger.js';
import type { VersionRow } from '../../ledger/rows.js';

export interface CandidateSpec {
  n: number;
  /** Distinguishes content: a different value means a different content hash. */
  content?: string;
  status?: LicenseStatus;
  pipeline?: string;
  runId?: string;
  prefix?: string;
}

/**
 * The issuing unit of the fixtures' licenses: a valid credit code (GB 32100) of no configured
 * pipeline in the tests, so a version of these is of another unit than any pipeline's issuer
 * unless a test gives it one (test/cli/sign-workspace.ts).
 */
export const FIXTURE_ISSUER = '11370211MB12345698';

export function licenseIdOf(n: number, prefix = 'P'): string {
  return `1.2.156.3005.2.11370200MB1234567X001.${FIXTURE_ISSUER}.${prefix}${String(n).padStart(8, '0')}`;
}

export function candidate(spec: CandidateSpec): VersionCandidate {
  const status = spec.status ?? 'valid';
  const content = spec.content ?? 'a';
  // Licenses are global in the ledger: tests keep theirs apart by pipeline name.
  const prefix = spec.prefix ?? spec.pipeline ?? 'P';
  const licenseId = licenseIdOf(spec.n, prefix);
  return {
    licenseId,
    sourceKey: `${prefix}-${spec.n}`,
    contentHash: `hash:${content}:${status}`,
    status,
    lineage: {
      pipeline: spec.pipeline ?? 'food',
      source: 'market-food',
      sourceKey: `${prefix}-${spec.n}`,
      runId: spec.runId ?? 'run',
      catalogVersion: 'c1',
      mappingVersion: 'm1',
    },
    build: (version: number): License => ({
      identifier: `${licenseId}.${String(version).padStart(3, '0')}.F`,
      number: `JY${String(spec.n).padStart(8, '0')}`,
      type: { name: '食品经营许可证', code: '11370200MB1234567X001' },
      issuer: { name: '青岛西海岸新区市场监督管理局', code: FIXTURE_ISSUER },
      issueDate: '2021-03-04',
      validFrom: '2021-03-04',
      validTo: null,
      areaCode: '370211',
      holder: { name: `经营者${spec.n}`, idType: '001', id: '91370211MA3C000000' },
      status,
      surface: { businessItems: ['预包装食品销售', content], note: '全角：测试' },
    }),
  };
}

export function candidates(
  from: number,
  count: number,
  spec: Omit<CandidateSpec, 'n'> = {},
): VersionCandidate[] {
  return Array.from({ length: count }, (_, i) => candidate({ ...spec, n: from + i }));
}

export function signature(versionId: number, sealId: string, fill = 7): StoredSignature {
  return {
    versionId,
    contentHash: `hash-${versionId}`,
    algorithm: 'SM2-SM3',
    digest: 'ab'.repeat(32),
    // 0x00 and 0xff bytes catch drivers that treat bytes as text.
    signature: Uint8Array.from([0, 255, fill, 1, 2, 3, 128, 0]),
    distId: '1234567812345678',
    sealId,
    signerKind: 'local-sm2',
    certificateSerial: '0A1B',
    certificateIssuer: null,
    signedAt: new Date('2024-05-06T07:08:09.123Z'),
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Starts run `runId` of `pipeline` and commits `page` as its one page, nothing quarantined. */
export async function commitOnePage(
  ledger: Ledger,
  pipeline: string,
  runId: string,
  page: VersionCandidate[],
) {
  await ledger.startRun({ runId, pipeline, mode: 'incremental' });
  return ledger.commitPage({
    pipeline,
    runId,
    checkpoint: encodeKeyPosition({ cursor: null, key: runId }),
    rowsRead: page.length,
    candidates: page,
    quarantined: [],
  });
}

/**
 * Commits `count` new licenses of `pipeline`, numbered from `from`, as the one page of a new run:
 * their version ids.
 */
export async function newVersions(
  ledger: Ledger,
  pipeline: string,
  from: number,
  count: number,
): Promise<number[]> {
  const r = await commitOnePage(ledger, pipeline, randomUUID(), candidates(from, count, { pipeline }));
  return r.created.map((c) => c.versionId);
}

/** Commits one new license, of a pipeline of its own, as the one page of a new run: its license id. */
export async function newLicense(ledger: Ledger): Promise<string> {
  const pipeline = uniqueName('p');
  await newVersions(ledger, pipeline, 1, 1);
  return licenseIdOf(1, pipeline);
}

/** A reconciliation repair (`repair-1`) revoking the license of `c` at its version 1: deleted at source. */
export function revokingRepair(c: VersionCandidate): RepairVersionsInput {
  return {
    pipeline: c.lineage.pipeline,
    runId: 'repair-1',
    actor: 'operator:test',
    versions: [
      {
        licenseId: c.licenseId,
        sourceKey: c.sourceKey,
        contentHash: 'hash:repaired',
        status: 'revoked',
        lineage: { ...c.lineage, runId: 'repair-1' },
        build: (version) => ({ ...c.build(version), status: 'revoked' }),
        reason: 'deleted-at-source',
        after: 1,
      },
    ],
  };
}

/** A `license_versions` row as the ledger reads it: version 9 of `L-1`, `fields` replacing any column. */
export function versionRow(fields: Partial<VersionRow>): VersionRow {
  return {
    version_id: 9,
    license_id: 'L-1',
    version: 1,
    pipeline: 'p',
    identifier: 'ID-1',
    content_hash: 'h',
    status: 'valid',
    operation: 'issue',
    payload: '{}',
    lineage: '{"k":"1"}',
    run_id: 'r',
    created_at: '2026-01-01T00:00:00.000Z',
    context_id: null,
    ...fields,
  };
}
