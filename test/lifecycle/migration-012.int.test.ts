/**
 * Migration 012 on a ledger that already holds licenses: `valid_to` and `number` are filled from
 * each license's latest version, so the first tick after an upgrade finds the licenses whose date
 * passed, and renewals find their predecessor by number.
 */
import { randomUUID } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { lifecycleMigration } from '../../ledger/migrations/012-lifecycle.js';
import { licensesNumberIndexMigration } from '../../ledger/migrations/028-licenses-number-index.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';

const ids = identifierBuilder('11370200MB12345674001', '11370211MB12345672');

function candidate(serial: string, number: string, validTo: string | null, version = 1): VersionCandidate {
  const build = (v: number): License => ({
    identifier: ids.identifier(serial, v),
    number: v >= 2 ? `${number}-B` : number,
    type: { name: '食品经营许可证', code: '11370200MB12345674001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
    issueDate: '2020-01-01',
    validFrom: '2020-01-01',
    validTo,
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: {},
  });
  return {
    licenseId: ids.licenseId(serial),
    sourceKey: serial,
    contentHash: contentHash(build(version)),
    status: 'valid',
    lineage: {
      pipeline: 'm',
      source: 's',
      sourceKey: serial,
      runId: 'r',
      catalogVersion: 'c',
      mappingVersion: 'm',
    },
    build,
  };
}

function rawKnex(url: string): Knex {
  if (url.startsWith('sqlite://')) {
    return knex({ client: 'better-sqlite3', connection: { filename: url.slice(9) }, useNullAsDefault: true });
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') as string;
  parsed.searchParams.delete('schema');
  return knex({ client: 'pg', connection: parsed.toString(), searchPath: [schema] });
}

describe.each(BACKENDS)('migration 012 on licenses already in the ledger ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const pipeline = `m012-${tag.toLowerCase()}`;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const page = (cands: VersionCandidate[]) =>
      ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
        rowsRead: cands.length,
        candidates: cands,
        quarantined: [],
      });
    await page([candidate(`M${tag}1`, 'JY-1', '2025-06-30'), candidate(`M${tag}2`, 'JY-2', null)]);
    // A second version of the first license: the backfill takes the latest.
    await page([candidate(`M${tag}1`, 'JY-1', '2025-07-31', 2)]);
    await ledger.close();
    // Back to the state before 012, then 012 again, as on an upgrade (028 replaced an index 012
    // made: undone first, done again after).
    const k = rawKnex(database.url);
    try {
      await licensesNumberIndexMigration.down(k);
      await lifecycleMigration.down(k);
      await lifecycleMigration.up(k);
      await licensesNumberIndexMigration.up(k);
    } finally {
      await k.destroy();
    }
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('fills valid_to from the latest version, so the tick finds the license whose date passed', async () => {
    expect(await ledger.countDueExpiries(pipeline, '2025-07-31')).toBe(0);
    expect(await ledger.countDueExpiries(pipeline, '2025-08-01')).toBe(1);
    expect(await ledger.countDueExpiries(pipeline, '2099-01-01')).toBe(1); // the long-term one never
  });

  it('fills number from the latest version, so a renewal finds its predecessor by number', async () => {
    const found = await ledger.predecessorIdentifiers(pipeline, [
      { licenseId: ids.licenseId(`N${tag}9`), number: 'JY-1-B' },
      { licenseId: ids.licenseId(`N${tag}8`), number: 'JY-1' },
    ]);
    expect(found.get(ids.licenseId(`N${tag}9`))).toBe(ids.identifier(`M${tag}1`, 2));
    expect(found.has(ids.licenseId(`N${tag}8`))).toBe(false);
  });
});
