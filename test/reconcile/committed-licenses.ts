/**
 * Licenses of one pipeline committed to a ledger as a run would commit them: real identifiers of
 * one license type and issuer, serials the test names, one run and one page per call. A later call
 * with a higher version content commits the next version of each (the run read changed rows).
 */
import { randomUUID } from 'node:crypto';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
export const ids = identifierBuilder(TYPE, ISSUER);
/** `1.2.156.3005.2.<type>.<issuer>.`: what a platform check of these licenses takes as its own. */
export const PREFIX = ids.licenseId('X').slice(0, -1);

function license(serial: string, edition: number, version: number): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY${serial}${edition === 1 ? '' : `-${edition}`}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2026-03-01',
    validFrom: '2026-03-01',
    validTo: '2031-02-28',
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: {},
  };
}

/**
 * Commits the licenses of `serials` under `pipeline` with the content of `edition` (a new edition
 * of a license already held makes its next version), and returns their license ids.
 */
export async function commitLicenses(
  ledger: Ledger,
  pipeline: string,
  serials: readonly string[],
  edition = 1,
): Promise<string[]> {
  const runId = randomUUID();
  await ledger.startRun({ runId, pipeline, mode: 'incremental' });
  await ledger.commitPage({
    pipeline,
    runId,
    checkpoint: encodeKeyPosition({ cursor: null, key: serials[serials.length - 1] ?? '' }),
    rowsRead: serials.length,
    candidates: serials.map((serial) => ({
      licenseId: ids.licenseId(serial),
      sourceKey: serial,
      contentHash: contentHash(license(serial, edition, 1)),
      status: 'valid' as const,
      lineage: { pipeline, source: 's', sourceKey: serial, runId, catalogVersion: 'c', mappingVersion: 'm' },
      build: (version: number) => license(serial, edition, version),
    })),
    quarantined: [],
  });
  return serials.map((s) => ids.licenseId(s));
}
