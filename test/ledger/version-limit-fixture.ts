/**
 * What the LB_VERSION_LIMIT tests share: licenses whose identifiers are built as a mapped row's
 * are, a ledger on a fresh database of each backend with a sync of one page, and a license moved to
 * version 999 (the last GB/T 36904 numbers) by hand.
 */
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import type { Backend, TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { rawKnex } from './raw-knex.js';

export const ids = identifierBuilder('11370200MB1234567X001', '11370211MB1234567X');

/** A candidate whose identifier is built as a mapped row's is (mappings/license-mapper.ts). */
export function realCandidate(pipeline: string, serial: string, content: string): VersionCandidate {
  const base = candidate({ n: 1, pipeline, content });
  const build = (version: number): License => ({
    ...base.build(version),
    identifier: ids.identifier(serial, version),
  });
  return { ...base, licenseId: ids.licenseId(serial), sourceKey: `row-${serial}`, build };
}

/**
 * Sets the license of `serial` at version 999 in the database at `url`, as three years of daily
 * changes would; with `validTo`, its validTo too (a day long past: a license the tick must end).
 */
export async function setAt999(url: string, serial: string, validTo?: string): Promise<void> {
  const raw = rawKnex(url);
  try {
    await raw('license_versions')
      .where({ license_id: ids.licenseId(serial) })
      .update({ version: 999 });
    await raw('licenses')
      .where({ license_id: ids.licenseId(serial) })
      .update(validTo === undefined ? { latest_version: 999 } : { latest_version: 999, valid_to: validTo });
  } finally {
    await raw.destroy();
  }
}

export interface VersionLimitLedger {
  readonly ledger: Ledger;
  readonly database: TestDatabase;
  /** One incremental run committing `candidates` as one page, at a checkpoint of its own. */
  sync(
    pipeline: string,
    candidates: VersionCandidate[],
  ): Promise<{ runId: string; result: Awaited<ReturnType<Ledger['commitPage']>> }>;
}

/**
 * A ledger on a fresh database of `backend` for the describe block this is called in, opened
 * before its tests and closed, with the database, after them. Read it inside tests and hooks.
 */
export function versionLimitLedger(backend: Backend): VersionLimitLedger {
  const opened = ledgerPerBackend(backend);
  let cursor = 0;
  return {
    get ledger() {
      return opened.ledger;
    },
    get database() {
      return opened.database;
    },
    async sync(pipeline, candidates) {
      const l = opened.ledger;
      const runId = uniqueName('run');
      await l.startRun({ runId, pipeline, mode: 'incremental' });
      cursor++;
      const result = await l.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: `c${cursor}`, key: 'k' }),
        rowsRead: candidates.length,
        candidates,
        quarantined: [],
      });
      return { runId, result };
    },
  };
}
