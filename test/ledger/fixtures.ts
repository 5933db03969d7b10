/** Candidates and signatures shaped like the ones pipelines hand the ledger. */
import { randomUUID } from 'node:crypto';
import type { License, LicenseStatus } from '../../catalog/license.js';
import type { StoredSignature, VersionCandidate } from '../../ledger/ledger.js';

export interface CandidateSpec {
  n: number;
  /** Distinguishes content: a different value means a different content hash. */
  content?: string;
  status?: LicenseStatus;
  pipeline?: string;
  runId?: string;
  prefix?: string;
}

export function licenseIdOf(n: number, prefix = 'P'): string {
  return `1.2.156.3005.2.11370200MB1234567X001.11370211MB1234567X.${prefix}${String(n).padStart(8, '0')}`;
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
      issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB1234567X' },
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
