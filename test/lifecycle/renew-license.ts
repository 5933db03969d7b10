/**
 * The renewal of a reminder workspace's license (延续): another license with the same number (or,
 * `newNumber`, one of its own), naming the old one as predecessor, committed by a run of its own.
 * The old license is untouched. `operation` makes it another act than a renewal (a change, 变更).
 */
import { randomUUID } from 'node:crypto';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License, LicenseOperation } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { type ReminderWorkspace, TYPE } from './reminders-fixture.js';

const ids = identifierBuilder(TYPE, '11370211MB12345672');

export async function renewLicense(
  ws: ReminderWorkspace,
  n: number,
  validTo: string,
  status: License['status'] = 'valid',
  more: { newNumber?: boolean; operation?: LicenseOperation } = {},
): Promise<string> {
  const [old] = await ws.ledger.versionPage({
    afterVersionId: 0,
    limit: 10,
    licenseIds: [ws.licenseId(n)],
  });
  if (!old) throw new Error('expected the old license');
  const serial = `RN${randomUUID().slice(0, 8).toUpperCase()}`;
  const license = (version: number): License => ({
    ...old.payload,
    identifier: ids.identifier(serial, version),
    ...(more.newNumber ? { number: `JYNEW${serial}` } : {}),
    validFrom: old.payload.validTo ?? '2026-01-01',
    validTo,
    status,
    previousIdentifier: old.payload.identifier,
  });
  const runId = randomUUID();
  await ws.ledger.startRun({ runId, pipeline: ws.pipeline, mode: 'incremental' });
  const c: VersionCandidate = {
    licenseId: ids.licenseId(serial),
    sourceKey: serial,
    contentHash: contentHash(license(1)),
    status,
    operation: more.operation ?? 'renew',
    lineage: {
      pipeline: ws.pipeline,
      source: 's',
      sourceKey: serial,
      runId,
      catalogVersion: 'c',
      mappingVersion: 'm',
    },
    build: license,
    contact: { phone: '13912349999' },
  } as VersionCandidate;
  await ws.ledger.commitPage({
    pipeline: ws.pipeline,
    runId,
    checkpoint: encodeKeyPosition({ cursor: null, key: serial }),
    rowsRead: 1,
    candidates: [c],
    quarantined: [],
  });
  return c.licenseId;
}
