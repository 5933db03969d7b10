/**
 * The predecessor lookup by number reads the licenses under the numbers a page names, through
 * `licenses(number)`, whatever the ledger holds: a lookup that read every license of the pipeline
 * made each page of a run cost time in proportion to the ledger (0.6 s a page at 130,000 licenses),
 * so a large first run slowed as it went. And a license of another pipeline under the same number
 * is no predecessor, nor a reason to call the number ambiguous.
 */
import { randomUUID } from 'node:crypto';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { heldUnder } from '../../ledger/predecessors.js';
import { BACKENDS, quietLogger, sqliteBackend, type TestDatabase } from './backends.js';

const ids = identifierBuilder('11370200MB12345674001', '11370211MB12345672');

function candidate(pipeline: string, serial: string, number: string): VersionCandidate {
  const license: License = {
    identifier: ids.identifier(serial, 1),
    number,
    type: { name: '食品经营许可证', code: '11370200MB12345674001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
    issueDate: '2020-01-01',
    validFrom: '2020-01-01',
    validTo: '2030-12-31',
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: {},
  };
  return {
    licenseId: ids.licenseId(serial),
    sourceKey: serial,
    contentHash: contentHash(license),
    status: 'valid',
    lineage: {
      pipeline,
      source: 's',
      sourceKey: serial,
      runId: 'r',
      catalogVersion: 'c',
      mappingVersion: 'm',
    },
    build: () => license,
  };
}

async function store(ledger: Ledger, pipeline: string, cands: VersionCandidate[]): Promise<void> {
  const runId = randomUUID();
  await ledger.startRun({ runId, pipeline, mode: 'incremental' });
  await ledger.commitPage({
    pipeline,
    runId,
    checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
    rowsRead: cands.length,
    candidates: cands,
    quarantined: [],
  });
}

describe('the predecessor lookup by number on SQLite', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    await store(ledger, 'plan', [candidate('plan', 'P1', 'JY-1')]);
    await ledger.close();
  });

  afterAll(async () => {
    await database?.dispose();
  });

  it('searches the number index, not every license of the pipeline', async () => {
    const k = knex({
      client: 'better-sqlite3',
      connection: { filename: database.url.slice('sqlite://'.length) },
      useNullAsDefault: true,
    });
    try {
      for (const [column, index] of [
        ['number', 'licenses_number_idx'],
        ['source_key', 'licenses_pipeline_source_key_uq'],
      ] as const) {
        const { sql, bindings } = heldUnder(k, column, 'plan', ['JY-1', 'JY-2', 'JY-3']).toSQL();
        const plan: { detail: string }[] = await k.raw(`explain query plan ${sql}`, [...bindings]);
        const onLicenses = plan.map((p) => p.detail).filter((d) => /\bl\b/.test(d));
        expect(onLicenses, column).toHaveLength(1);
        expect(onLicenses[0], column).toContain(`USING INDEX ${index}`);
      }
    } finally {
      await k.destroy();
    }
  });
});

describe.each(BACKENDS)('a number held in another pipeline ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomUUID().slice(0, 6).toUpperCase();

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await store(ledger, 'food', [candidate('food', `F${tag}`, `JY-${tag}`)]);
    await store(ledger, 'drugs', [candidate('drugs', `D${tag}`, `JY-${tag}`)]);
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('is neither the predecessor nor a second candidate', async () => {
    const ambiguous = new Map<string, string[]>();
    const successor = ids.licenseId(`R${tag}`);
    const found = await ledger.predecessorIdentifiers(
      'food',
      [{ licenseId: successor, number: `JY-${tag}` }],
      ambiguous,
    );
    expect(ambiguous.size).toBe(0);
    expect(found.get(successor)).toBe(ids.identifier(`F${tag}`, 1));
  });
});
