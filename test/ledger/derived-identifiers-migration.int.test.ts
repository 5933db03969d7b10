/**
 * Migration 024 undone and done again on both backends: every version written with an empty
 * identifier column gets its identifier text back, the full unique index is restored, and done
 * again the partial index returns. On PostgreSQL the ledger lives in a schema of its own.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIdentifier } from '../../catalog/identifier.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const M024 = MIGRATIONS.find((m) => m.name === '024-derived-identifiers');
const TYPE = '11370200MB1234567X001';
const ISSUER = '11370211MB1234567X';

function standard(serial: string, pipeline: string, runId: string): VersionCandidate {
  const base = candidate({ n: 1, pipeline, runId, prefix: serial });
  return {
    ...base,
    licenseId: `1.2.156.3005.2.${TYPE}.${ISSUER}.${serial}`,
    sourceKey: serial,
    build: (version) => ({
      ...base.build(version),
      identifier: buildIdentifier({ typeCode: TYPE, issuerCode: ISSUER, serial, version }),
    }),
  };
}

describe.each(BACKENDS)('migration 024 undone and done again ($name)', (backend) => {
  let database: TestDatabase;
  const pipeline = uniqueName('ids');
  const runId = uniqueName('run');
  const serials = [0, 1, 2].map(() => `S${randomBytes(6).toString('hex').toUpperCase()}`);

  beforeAll(async () => {
    database = await backend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    try {
      await ledger.startRun({ runId, pipeline, mode: 'incremental' });
      await ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
        rowsRead: serials.length,
        candidates: serials.map((s) => standard(s, pipeline, runId)),
        quarantined: [],
      });
    } finally {
      await ledger.close();
    }
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('writes every identifier back as text, and empties nothing on the way up', async () => {
    const raw = rawKnex(database.url);
    try {
      const before: { identifier: string }[] = await raw('license_versions')
        .select('identifier')
        .orderBy('version_id');
      expect(before.map((r) => r.identifier)).toEqual(['', '', '']);
      await M024?.down(raw);
      const after: { identifier: string }[] = await raw('license_versions')
        .select('identifier')
        .orderBy('version_id');
      expect(after.map((r) => r.identifier)).toEqual(
        serials.map((serial) => buildIdentifier({ typeCode: TYPE, issuerCode: ISSUER, serial, version: 1 })),
      );
      await M024?.up(raw);
      await M024?.down(raw);
      await M024?.up(raw);
    } finally {
      await raw.destroy();
    }
  });
});
